package dev.tfrocketmq.auth;

import dev.tfrocketmq.context.ClusterObjectId;
import dev.tfrocketmq.context.ProviderContext;
import dev.tfrocketmq.context.RocketMqNames;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.resource.ImportableResource;
import dev.tfrocketmq.framework.resource.PlanResponse;
import dev.tfrocketmq.framework.resource.Requests;
import dev.tfrocketmq.framework.resource.StateResponse;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.NestedBlock;
import dev.tfrocketmq.framework.schema.NestingMode;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.schema.Validators;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code rocketmq_acl}: the ACL 2.0 policies of one subject (RocketMQ 5.3+) on every broker of a cluster. */
public final class AclResource implements ImportableResource {
    static final String POLICY = "policy";

    private static final Block POLICY_BLOCK = Block.of(
            "One resource pattern and what the subject may (or may not) do with it.",
            Attribute.string(AclPolicy.RESOURCE_TYPE)
                    .required()
                    .validate(Validators.oneOf("Topic", "Group", "Cluster", AclPolicy.ANY))
                    .description("`Topic`, `Group`, `Cluster`, or `Any` (every resource).")
                    .build(),
            Attribute.string(AclPolicy.RESOURCE_NAME)
                    .optional()
                    .validate(Validators.matches("[%|a-zA-Z0-9_-]{1,255}", "a topic, group or cluster name"))
                    .description("The resource's name, or with `pattern_type = \"PREFIXED\"` the prefix of the names. "
                            + "Required except for `Any`.")
                    .build(),
            Attribute.string(AclPolicy.PATTERN_TYPE)
                    .defaultValue(Value.string(AclPolicy.LITERAL))
                    .validate(Validators.oneOf(AclPolicy.LITERAL, AclPolicy.PREFIXED))
                    .description("`LITERAL` (exactly that name) or `PREFIXED` (every name starting with it).")
                    .build(),
            Attribute.of(AclPolicy.ACTIONS, TfType.list(TfType.STRING))
                    .required()
                    .validate(Validators.simple(
                            "a non-empty list", v -> !v.elements().isEmpty()))
                    .validate(Validators.eachElement(
                            Validators.oneOf("All", "Pub", "Sub", "Create", "Update", "Delete", "Get", "List")))
                    .description("What is allowed or denied: `Pub`, `Sub`, `Create`, `Update`, `Delete`, `Get`, "
                            + "`List`, or `All`.")
                    .build(),
            Attribute.of(AclPolicy.SOURCE_IPS, TfType.list(TfType.STRING))
                    .defaultValue(Value.list(TfType.STRING, List.of()))
                    .validate(Validators.eachElement(Validators.matches(
                            "[0-9a-fA-F.:]{2,45}(/[0-9]{1,3})?", "an IP address or CIDR range such as 10.0.0.0/8")))
                    .description("Client addresses or CIDR ranges the policy applies to; empty: any address.")
                    .build(),
            Attribute.string(AclPolicy.DECISION)
                    .defaultValue(Value.string("Allow"))
                    .validate(Validators.oneOf("Allow", "Deny"))
                    .description("`Allow` or `Deny` (a deny wins over an allow).")
                    .build());

    private static final Schema SCHEMA = Schema.of(Block.of(
                    "The ACL 2.0 policies of one subject (a user) on every broker of a cluster, master or slave "
                            + "(RocketMQ 5.3+ with `authorization_enabled`). The policies are exactly what is "
                            + "declared: an entry added out of band shows as drift and is removed by the next apply. "
                            + "Policies change in place; a new subject or cluster replaces the ACL.",
                    Attribute.string("id")
                            .computed()
                            .description("`<cluster_name>/<subject>`.")
                            .build(),
                    Attribute.string("subject")
                            .required()
                            .requiresReplace()
                            .validate(Validators.matches("User:[A-Za-z0-9_.@-]{1,64}", "User:<username>"))
                            .description("Whose ACL: `User:<username>`. The user must exist (see `rocketmq_user`; "
                                    + "refer to its username so it is created first). Changing it replaces the ACL.")
                            .build(),
                    Attribute.string("cluster_name")
                            .defaultValue(Value.string(RocketMqNames.DEFAULT_CLUSTER))
                            .requiresReplace()
                            .validate(RocketMqNames.clusterOrBroker())
                            .description("Cluster whose brokers enforce the ACL. Changing it replaces the ACL.")
                            .build(),
                    RocketMqNames.nameServers()
                            .description("Name servers (`host:port`); defaults to the provider's `name_servers`.")
                            .build(),
                    Attribute.of(AuthResources.BROKERS, TfType.list(TfType.STRING))
                            .computed()
                            .description("Brokers that have the ACL. A plan that adds brokers here is writing it "
                                    + "where it is missing.")
                            .build())
            .withBlocks(new NestedBlock(POLICY, NestingMode.LIST, POLICY_BLOCK, 1, 0)));

    private final ProviderContext context;

    public AclResource(ProviderContext context) {
        this.context = context;
    }

    @Override
    public String typeName() {
        return "rocketmq_acl";
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public String importIdFormat() {
        return ClusterObjectId.FORMAT + " (name: the subject, User:<username>)";
    }

    @Override
    public void validate(Requests.Validate request, Diagnostics diagnostics) {
        Value policies = request.config().attribute(POLICY);
        if (!policies.isKnown() || policies.isNull()) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < policies.elements().size(); i++) {
            Value p = policies.elements().get(i);
            ValuePath at = ValuePath.root().attribute(POLICY).index(i);
            Value type = p.attribute(AclPolicy.RESOURCE_TYPE);
            Value name = p.attribute(AclPolicy.RESOURCE_NAME);
            Value pattern = p.attribute(AclPolicy.PATTERN_TYPE);
            if (!type.isKnown() || !name.isKnown() || !pattern.isKnown()) {
                continue;
            }
            boolean any = AclPolicy.ANY.equals(type.asString());
            if (!any && name.isNull()) {
                diagnostics.attributeError(
                        at.attribute(AclPolicy.RESOURCE_NAME),
                        "Missing resource_name",
                        "A " + type.asString() + " policy names its "
                                + type.asString().toLowerCase()
                                + " (or a prefix of names with pattern_type = \"PREFIXED\"). Set resource_name.");
                continue;
            }
            if (any && !name.isNull()) {
                diagnostics.attributeError(
                        at.attribute(AclPolicy.RESOURCE_NAME),
                        "resource_name with resource_type = \"Any\"",
                        "Any covers every resource: remove resource_name, or choose Topic, Group or Cluster.");
                continue;
            }
            String key = any
                    ? "*"
                    : type.asString() + ":" + name.asString()
                            + (pattern.isNull() || AclPolicy.LITERAL.equals(pattern.asString()) ? "" : "*");
            if (!seen.add(key)) {
                diagnostics.attributeError(
                        at,
                        "Duplicate policy for " + key,
                        "RocketMQ keeps one entry per resource, so two policy blocks for " + key
                                + " would overwrite each other. Merge their actions into one block.");
            }
        }
    }

    @Override
    public void modifyPlan(Requests.Plan request, PlanResponse response) {
        Value cluster = response.attribute("cluster_name");
        Value subject = response.attribute("subject");
        if (cluster.isKnown() && subject.isKnown()) {
            response.setAttribute("id", Value.string(cluster.asString() + "/" + subject.asString()));
        }
        AuthResources.plan(context, typeName(), request, response);
    }

    @Override
    public void create(Requests.Create request, StateResponse response) {
        write(request.planned(), response);
    }

    @Override
    public void update(Requests.Update request, StateResponse response) {
        write(request.planned(), response);
    }

    private void write(Value planned, StateResponse response) {
        AuthAdmin admin = AuthAdmin.of(context, planned);
        admin.requireAcl2(typeName());
        List<String> written = admin.writeAcl(planned.attribute("subject").asString(), AclPolicy.of(planned, POLICY));
        response.setState(planned.withAttribute(AuthResources.BROKERS, AuthResources.labels(written)));
    }

    @Override
    public void read(Requests.Read request, StateResponse response) {
        Value current = request.current();
        String subject = current.attribute("subject").asString();
        AuthAdmin admin = AuthAdmin.of(context, current);
        Map<String, List<AclPolicy>> found = admin.readAcl(subject);
        if (found.isEmpty()) {
            response.markGone();
            return;
        }
        List<String> missing = new ArrayList<>(admin.labels());
        missing.removeAll(found.keySet());
        if (!missing.isEmpty()) {
            response.diagnostics()
                    .warning(
                            "ACL of " + subject + " is missing on " + String.join(", ", missing),
                            "Brokers " + missing + " have no ACL for " + subject + " (it is on " + found.keySet()
                                    + "); they refuse what it allows. The next apply writes it there.");
        }
        List<AclPolicy> declared = AclPolicy.of(current, POLICY);
        List<AclPolicy> shown = found.values().stream()
                .filter(p -> !same(p, declared))
                .findFirst()
                .orElse(found.values().iterator().next());
        Value next = current.withAttribute(POLICY, policiesValue(shown, declared))
                .withAttribute(
                        AuthResources.BROKERS,
                        AuthResources.labels(found.keySet().stream().sorted().toList()));
        if (current.attribute("id").isNull()) {
            next = next.withAttribute(
                    "id", Value.string(current.attribute("cluster_name").asString() + "/" + subject));
        }
        response.setState(next);
    }

    private static boolean same(List<AclPolicy> read, List<AclPolicy> declared) {
        return read.size() == declared.size()
                && declared.stream().allMatch(d -> read.stream().anyMatch(d::sameAs));
    }

    /** The read policies in the declared order (extra ones after, as RocketMQ lists them). */
    private static Value policiesValue(List<AclPolicy> read, List<AclPolicy> declared) {
        List<Value> out = new ArrayList<>();
        List<AclPolicy> left = new ArrayList<>(read);
        for (AclPolicy d : declared) {
            for (AclPolicy r : left) {
                if (r.resource().equals(d.resource())) {
                    out.add(r.toValue(POLICY_BLOCK.type(), d));
                    left.remove(r);
                    break;
                }
            }
        }
        left.forEach(r -> out.add(r.toValue(POLICY_BLOCK.type(), null)));
        return Value.list(POLICY_BLOCK.type(), out);
    }

    @Override
    public void delete(Requests.Delete request, Diagnostics diagnostics) {
        Value prior = request.prior();
        AuthAdmin.of(context, prior).deleteAcl(prior.attribute("subject").asString());
    }

    @Override
    public void importState(Requests.Import request, StateResponse response) {
        ClusterObjectId id = ClusterObjectId.parse(request.id(), "User:orders-app");
        Map<String, Value> attrs = new LinkedHashMap<>();
        SCHEMA.block()
                .attributes()
                .forEach(
                        a -> attrs.put(a.name(), a.defaultValue() != null ? a.defaultValue() : Value.nullOf(a.type())));
        attrs.put("id", Value.string(id.id()));
        attrs.put("subject", Value.string(id.name()));
        attrs.put("cluster_name", Value.string(id.cluster()));
        attrs.put("name_servers", id.nameServersValue());
        attrs.put(AuthResources.BROKERS, Value.list(TfType.STRING, List.of()));
        attrs.put(POLICY, Value.list(POLICY_BLOCK.type(), List.of()));
        response.setState(Value.object(SCHEMA.block().type(), attrs));
    }
}
