package dev.tfrocketmq.topic;

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
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.common.topic.TopicValidator;

/** {@code rocketmq_topic}: a topic on every master of a cluster. */
public final class TopicResource implements ImportableResource {
    static final String ALLOW_DISCARD = "allow_discarding_queued_messages";

    private static final Schema SCHEMA = Schema.of(Block.of(
            "A topic on every master broker of a cluster. Queue numbers, permission, order and message type change in "
                    + "place; a new name or cluster replaces the topic, which deletes its messages.",
            Attribute.string("id")
                    .computed()
                    .description("`<cluster_name>/<name>`.")
                    .build(),
            Attribute.string("name")
                    .required()
                    .requiresReplace()
                    .validate(RocketMqNames.topic())
                    .description("Topic name. Changing it replaces the topic (its messages are lost).")
                    .build(),
            Attribute.string("cluster_name")
                    .defaultValue(Value.string(RocketMqNames.DEFAULT_CLUSTER))
                    .requiresReplace()
                    .validate(RocketMqNames.clusterOrBroker())
                    .description("Cluster whose masters carry the topic. Changing it replaces the topic.")
                    .build(),
            RocketMqNames.nameServers()
                    .description(
                            "Name servers (`host:port`); defaults to the provider's `name_servers`. May be unknown "
                                    + "until apply (for a cluster created in the same run).")
                    .build(),
            Attribute.number(TopicState.READ_QUEUE_NUMS)
                    .defaultValue(Value.number(8))
                    .validate(Validators.integerBetween(1, 1024))
                    .description("Read queues per broker. Changes in place.")
                    .build(),
            Attribute.number(TopicState.WRITE_QUEUE_NUMS)
                    .defaultValue(Value.number(8))
                    .validate(Validators.integerBetween(1, 1024))
                    .description("Write queues per broker. Changes in place.")
                    .build(),
            Attribute.number(TopicState.PERM)
                    .defaultValue(Value.number(6))
                    .validate(Validators.oneOfNumbers(2, 4, 6))
                    .description("Permission: 6 read-write, 4 read-only, 2 write-only. Changes in place.")
                    .build(),
            Attribute.bool(TopicState.ORDER)
                    .defaultValue(Value.bool(false))
                    .description("Ordered topic. Changes in place.")
                    .build(),
            Attribute.bool(ALLOW_DISCARD)
                    .defaultValue(Value.bool(false))
                    .description(
                            "Allow lowering `read_queue_nums` below queues that still hold messages; those messages "
                                    + "become unreadable. Off by default: such an apply fails and changes nothing.")
                    .build(),
            Attribute.string(TopicState.MESSAGE_TYPE)
                    .optional()
                    .validate(Validators.oneOf("NORMAL", "FIFO", "DELAY", "TRANSACTION"))
                    .description("RocketMQ 5 message type (NORMAL, FIFO, DELAY, TRANSACTION). Left unset, the broker's "
                            + "default applies and is not tracked.")
                    .build()));

    /** Private data of a state just imported: its first read fills in what the import could not know. */
    private static final byte[] IMPORTED = "imported".getBytes(StandardCharsets.UTF_8);

    private final ProviderContext context;
    private final TopicTables tables = new TopicTables();

    public TopicResource(ProviderContext context) {
        this.context = context;
    }

    @Override
    public String typeName() {
        return "rocketmq_topic";
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public String importIdFormat() {
        return "<cluster_name>/<name>, or <name_server>[,<name_server>...]/<cluster_name>/<name>";
    }

    @Override
    public void validate(Requests.Validate request, Diagnostics diagnostics) {
        Value name = request.config().attribute("name");
        if (name.isKnown() && !name.isNull() && TopicValidator.isSystemTopic(name.asString())) {
            diagnostics.attributeError(
                    ValuePath.root().attribute("name"),
                    "System topic",
                    name.asString()
                            + " is a RocketMQ system topic, which the broker manages itself. Choose another name.");
        }
    }

    @Override
    public void modifyPlan(Requests.Plan request, PlanResponse response) {
        Value cluster = response.attribute("cluster_name");
        Value name = response.attribute("name");
        if (cluster.isKnown() && name.isKnown()) {
            response.setAttribute("id", Value.string(cluster.asString() + "/" + name.asString()));
        }
        Value prior = request.prior();
        Value before = prior == null || prior.isNull() ? null : prior.attribute(TopicState.READ_QUEUE_NUMS);
        Value after = response.attribute(TopicState.READ_QUEUE_NUMS);
        if (before != null && after.isKnown() && before.asInt() > after.asInt()) {
            response.diagnostics()
                    .warning(
                            "Read queues of topic " + name.asString() + " shrink from " + before.asInt() + " to "
                                    + after.asInt(),
                            "Consumers stop reading queues " + after.asInt() + " to " + (before.asInt() - 1)
                                    + " on every broker, so messages still in them become unreadable. Apply refuses "
                                    + "while those queues hold messages, unless " + ALLOW_DISCARD + " = true.");
        }
    }

    @Override
    public void create(Requests.Create request, StateResponse response) {
        Value planned = request.planned();
        admin(planned).write(planned.attribute("name").asString(), TopicState.of(planned), request.cancellation());
    }

    @Override
    public void update(Requests.Update request, StateResponse response) {
        Value planned = request.planned();
        TopicAdmin admin = admin(planned);
        String name = planned.attribute("name").asString();
        int from = request.prior().attribute(TopicState.READ_QUEUE_NUMS).asInt();
        int to = planned.attribute(TopicState.READ_QUEUE_NUMS).asInt();
        if (to < from && !planned.attribute(ALLOW_DISCARD).asBool()) {
            List<String> holding = admin.queuesHoldingMessages(name, to);
            if (!holding.isEmpty()) {
                throw new OperatorException(
                        "Shrinking the read queues of topic " + name + " would strand messages",
                        "Queues " + holding + " still hold messages, which consumers could no longer read with "
                                + "read_queue_nums = " + to + ". Let consumers drain them, or set " + ALLOW_DISCARD
                                + " = true to shrink anyway. Nothing was changed.");
            }
        }
        admin.write(name, TopicState.of(planned), request.cancellation());
    }

    @Override
    public void read(Requests.Read request, StateResponse response) {
        Value current = request.current();
        TopicAdmin.Found found = admin(current).read(current.attribute("name").asString());
        if (found instanceof TopicAdmin.Found.Gone) {
            response.markGone();
            return;
        }
        if (found instanceof TopicAdmin.Found.Unverified unverified) {
            response.diagnostics()
                    .warning(
                            "Topic " + current.attribute("name").asString() + " could not be verified",
                            unverified.why() + ". Its state was kept as it was; the next plan checks again.");
            return;
        }
        TopicState s = ((TopicAdmin.Found.Present) found).state();
        Value next = s.settingsOn(current);
        // message_type is tracked only when set (the broker's default is not copied into state as if configured), or
        // right after an import, where the state must show the type the topic was given.
        boolean imported = Arrays.equals(request.privateData(), IMPORTED);
        if (imported || !current.attribute(TopicState.MESSAGE_TYPE).isNull()) {
            next = next.withAttribute(TopicState.MESSAGE_TYPE, s.messageTypeValue());
        }
        if (imported) {
            response.setPrivateData(new byte[0]);
        }
        if (current.attribute("id").isNull()) {
            next = next.withAttribute(
                    "id",
                    Value.string(current.attribute("cluster_name").asString() + "/"
                            + current.attribute("name").asString()));
        }
        response.setState(next);
    }

    @Override
    public void delete(Requests.Delete request, Diagnostics diagnostics) {
        Value prior = request.prior();
        admin(prior).delete(prior.attribute("name").asString());
    }

    @Override
    public void importState(Requests.Import request, StateResponse response) {
        String[] parts = request.id().split("/", -1);
        if (parts.length < 2 || parts.length > 3 || Arrays.stream(parts).anyMatch(String::isEmpty)) {
            throw new OperatorException(
                    "Invalid import ID \"" + request.id() + "\"",
                    "Expected " + importIdFormat() + ", for example " + RocketMqNames.DEFAULT_CLUSTER + "/orders or "
                            + "10.0.0.5:9876,10.0.0.6:9876/" + RocketMqNames.DEFAULT_CLUSTER + "/orders.");
        }
        Value nameServers = Value.nullOf(TfType.list(TfType.STRING));
        if (parts.length == 3) {
            nameServers = Value.list(
                    TfType.STRING,
                    Arrays.stream(parts[0].split(","))
                            .map(String::trim)
                            .map(Value::string)
                            .toList());
        }
        String cluster = parts[parts.length - 2];
        String name = parts[parts.length - 1];
        // The schema's defaults stand in until the read that follows an import reports what the brokers have.
        Map<String, Value> attrs = new LinkedHashMap<>();
        SCHEMA.block()
                .attributes()
                .forEach(
                        a -> attrs.put(a.name(), a.defaultValue() != null ? a.defaultValue() : Value.nullOf(a.type())));
        attrs.put("id", Value.string(cluster + "/" + name));
        attrs.put("name", Value.string(name));
        attrs.put("cluster_name", Value.string(cluster));
        attrs.put("name_servers", nameServers);
        attrs.put(TopicState.MESSAGE_TYPE, Value.nullOf(TfType.STRING));
        response.setState(Value.object(SCHEMA.block().type(), attrs));
        response.setPrivateData(IMPORTED);
    }

    private TopicAdmin admin(Value values) {
        return TopicAdmin.of(
                context,
                context.nameServers(values.attribute("name_servers")),
                values.attribute("cluster_name").asString(),
                tables);
    }
}
