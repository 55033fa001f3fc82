package dev.tfrocketmq.auth;

import dev.tfrocketmq.context.AdminAccess;
import dev.tfrocketmq.context.ClusterObjectId;
import dev.tfrocketmq.context.ProviderContext;
import dev.tfrocketmq.context.RocketMqNames;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.resource.ImportableResource;
import dev.tfrocketmq.framework.resource.PlanResponse;
import dev.tfrocketmq.framework.resource.Requests;
import dev.tfrocketmq.framework.resource.StateResponse;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.schema.Validators;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.rocketmq.remoting.protocol.body.UserInfo;

/** {@code rocketmq_user}: an ACL 2.0 user (RocketMQ 5.3+) on every broker of a cluster. */
public final class UserResource implements ImportableResource {
    static final String PASSWORD = "password";
    static final String PASSWORD_VERSION = "password_version";
    static final String USER_TYPE = "user_type";
    static final String USER_STATUS = "user_status";

    private static final Schema SCHEMA = Schema.of(Block.of(
            "A RocketMQ 5.3+ (ACL 2.0) user on every broker of a cluster, master or slave: the name a client signs "
                    + "its requests with and its password. The password is write-only: Terraform sends it to the "
                    + "brokers and never keeps it in plan or state; change `password_version` to send a new one. Type "
                    + "and status change in place; a new username or cluster replaces the user (and deletes its ACL).",
            Attribute.string("id")
                    .computed()
                    .description("`<cluster_name>/<username>`.")
                    .build(),
            Attribute.string("username")
                    .required()
                    .requiresReplace()
                    .validate(AdminAccess.accessKey())
                    .description("User name (the access key clients use). Changing it replaces the user.")
                    .build(),
            Attribute.string("cluster_name")
                    .defaultValue(Value.string(RocketMqNames.DEFAULT_CLUSTER))
                    .requiresReplace()
                    .validate(RocketMqNames.clusterOrBroker())
                    .description("Cluster whose brokers keep the user. Changing it replaces the user.")
                    .build(),
            RocketMqNames.nameServers()
                    .description("Name servers (`host:port`); defaults to the provider's `name_servers`.")
                    .build(),
            Attribute.string(PASSWORD)
                    .required()
                    .sensitive()
                    .writeOnly()
                    .validate(Validators.matches(
                            "[\\x21-\\x7e]{8,128}", "8 to 128 printable ASCII characters, no spaces"))
                    .description("Password (the secret key clients use). Write-only (Terraform 1.11+): sent when the "
                            + "user is created and whenever `password_version` changes, never stored in plan or "
                            + "state. Use an ephemeral value or a variable.")
                    .build(),
            Attribute.number(PASSWORD_VERSION)
                    .optional()
                    .validate(Validators.integerBetween(0, Long.MAX_VALUE))
                    .description("Any number; changing it sends `password` to the brokers again (password rotation).")
                    .build(),
            Attribute.string(USER_TYPE)
                    .defaultValue(Value.string("Normal"))
                    .validate(Validators.oneOf("Normal", "Super"))
                    .description("`Normal` (only what ACLs allow) or `Super` (everything). Changes in place.")
                    .build(),
            Attribute.string(USER_STATUS)
                    .defaultValue(Value.string("enable"))
                    .validate(Validators.oneOf("enable", "disable"))
                    .description(
                            "`enable`, or `disable` to refuse the user's logins while keeping it. Changes in place.")
                    .build(),
            Attribute.of(AuthResources.BROKERS, TfType.list(TfType.STRING))
                    .computed()
                    .description("Brokers that have the user (`<broker_name> (id <broker_id>)`). A plan that adds "
                            + "brokers here is creating the user where it is missing.")
                    .build()));

    private final ProviderContext context;

    public UserResource(ProviderContext context) {
        this.context = context;
    }

    @Override
    public String typeName() {
        return "rocketmq_user";
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public String importIdFormat() {
        return ClusterObjectId.FORMAT + " (name: the username)";
    }

    @Override
    public void validate(Requests.Validate request, Diagnostics diagnostics) {
        Value username = request.config().attribute("username");
        if (username.isKnown() && !username.isNull() && username.asString().startsWith("rocketmq-inner-")) {
            diagnostics.attributeError(
                    ValuePath.root().attribute("username"),
                    "Reserved user name",
                    "Names starting with rocketmq-inner- are the inner users of brokers and proxies, derived from the "
                            + "provider's credentials. Choose another name.");
        }
    }

    @Override
    public void modifyPlan(Requests.Plan request, PlanResponse response) {
        Value cluster = response.attribute("cluster_name");
        Value name = response.attribute("username");
        if (cluster.isKnown() && name.isKnown()) {
            response.setAttribute("id", Value.string(cluster.asString() + "/" + name.asString()));
        }
        AuthResources.plan(context, typeName(), request, response);
    }

    @Override
    public void create(Requests.Create request, StateResponse response) {
        Value planned = request.planned();
        AuthAdmin admin = AuthAdmin.of(context, planned);
        admin.requireAcl2(typeName());
        List<String> written = admin.writeUser(
                planned.attribute("username").asString(),
                password(request.config()),
                planned.attribute(USER_TYPE).asString(),
                planned.attribute(USER_STATUS).asString());
        response.setState(planned.withAttribute(AuthResources.BROKERS, AuthResources.labels(written)));
    }

    @Override
    public void update(Requests.Update request, StateResponse response) {
        Value planned = request.planned();
        boolean rotate =
                !Objects.equals(request.prior().attribute(PASSWORD_VERSION), planned.attribute(PASSWORD_VERSION));
        AuthAdmin admin = AuthAdmin.of(context, planned);
        admin.requireAcl2(typeName());
        List<String> written = admin.writeUser(
                planned.attribute("username").asString(),
                rotate ? password(request.config()) : null,
                planned.attribute(USER_TYPE).asString(),
                planned.attribute(USER_STATUS).asString());
        response.setState(planned.withAttribute(AuthResources.BROKERS, AuthResources.labels(written)));
    }

    private static String password(Value config) {
        Value p = config.attribute(PASSWORD);
        if (p.isNull() || !p.isKnown()) {
            throw new OperatorException(
                    "No password",
                    "rocketmq_user needs password to create a user or rotate its password (password_version changed). "
                            + "Set it (Terraform 1.11+ sends write-only values at apply).",
                    ValuePath.root().attribute(PASSWORD),
                    null);
        }
        return p.asString();
    }

    @Override
    public void read(Requests.Read request, StateResponse response) {
        Value current = request.current();
        String username = current.attribute("username").asString();
        AuthAdmin admin = AuthAdmin.of(context, current);
        Map<String, UserInfo> found = admin.readUser(username);
        if (found.isEmpty()) {
            response.markGone();
            return;
        }
        List<String> missing = new ArrayList<>(admin.labels());
        missing.removeAll(found.keySet());
        if (!missing.isEmpty()) {
            response.diagnostics()
                    .warning(
                            "User " + username + " is missing on " + String.join(", ", missing),
                            "Brokers " + missing + " have no user " + username + " (it is on " + found.keySet()
                                    + "); clients they serve cannot sign in as it. The next apply creates it there, "
                                    + "which needs its password: change password_version if the apply says so.");
        }
        // Report the first broker that differs from the state, so the plan shows (and repairs) the drift.
        String type = current.attribute(USER_TYPE).asString();
        String status = current.attribute(USER_STATUS).asString();
        UserInfo shown = found.values().stream()
                .filter(u -> !type.equalsIgnoreCase(u.getUserType()) || !status.equalsIgnoreCase(u.getUserStatus()))
                .findFirst()
                .orElse(found.values().iterator().next());
        Value next = current.withAttribute(USER_TYPE, Value.string(typeName(shown.getUserType(), type)))
                .withAttribute(USER_STATUS, Value.string(statusName(shown.getUserStatus(), status)))
                .withAttribute(
                        AuthResources.BROKERS,
                        AuthResources.labels(found.keySet().stream().sorted().toList()));
        if (current.attribute("id").isNull()) {
            next = next.withAttribute(
                    "id", Value.string(current.attribute("cluster_name").asString() + "/" + username));
        }
        response.setState(next);
    }

    /** RocketMQ's spelling of a type, in the declared spelling when they are the same word. */
    private static String typeName(String reported, String declared) {
        if (reported == null) {
            return declared;
        }
        return reported.equalsIgnoreCase(declared)
                ? declared
                : reported.substring(0, 1).toUpperCase(Locale.ROOT)
                        + reported.substring(1).toLowerCase(Locale.ROOT);
    }

    private static String statusName(String reported, String declared) {
        if (reported == null) {
            return declared;
        }
        return reported.equalsIgnoreCase(declared) ? declared : reported.toLowerCase(Locale.ROOT);
    }

    @Override
    public void delete(Requests.Delete request, Diagnostics diagnostics) {
        Value prior = request.prior();
        AuthAdmin.of(context, prior).deleteUser(prior.attribute("username").asString());
    }

    @Override
    public void importState(Requests.Import request, StateResponse response) {
        ClusterObjectId id = ClusterObjectId.parse(request.id(), "orders-app");
        Map<String, Value> attrs = new LinkedHashMap<>();
        SCHEMA.block()
                .attributes()
                .forEach(
                        a -> attrs.put(a.name(), a.defaultValue() != null ? a.defaultValue() : Value.nullOf(a.type())));
        attrs.put("id", Value.string(id.id()));
        attrs.put("username", Value.string(id.name()));
        attrs.put("cluster_name", Value.string(id.cluster()));
        attrs.put("name_servers", id.nameServersValue());
        attrs.put(AuthResources.BROKERS, Value.list(TfType.STRING, List.of()));
        response.setState(Value.object(SCHEMA.block().type(), attrs));
    }
}
