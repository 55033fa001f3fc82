package dev.tfrocketmq.group;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code rocketmq_consumer_group}: a consumer group's subscription-group config on every master of a cluster. */
public final class ConsumerGroupResource implements ImportableResource {
    private static final Schema SCHEMA = Schema.of(Block.of(
            "A consumer group on every master broker of a cluster: its retry policy, whether it may consume, "
                    + "broadcast and read from slaves, as RocketMQ's subscription-group config. Every setting changes "
                    + "in place; a new name or cluster replaces the group (its consumer offsets are deleted). A group "
                    + "found on some masters but not others is reported at refresh and written again by the next "
                    + "apply.",
            Attribute.string("id")
                    .computed()
                    .description("`<cluster_name>/<name>`.")
                    .build(),
            Attribute.string("name")
                    .required()
                    .requiresReplace()
                    .validate(GroupNames.GROUP)
                    .description("Group name. Changing it replaces the group (its consumer offsets are deleted).")
                    .build(),
            Attribute.string("cluster_name")
                    .defaultValue(Value.string(RocketMqNames.DEFAULT_CLUSTER))
                    .requiresReplace()
                    .validate(RocketMqNames.clusterOrBroker())
                    .description("Cluster whose masters carry the group. Changing it replaces the group.")
                    .build(),
            RocketMqNames.nameServers()
                    .description("Name servers (`host:port`); defaults to the provider's `name_servers`. May be "
                            + "unknown until apply (for a cluster created in the same run).")
                    .build(),
            Attribute.number(GroupState.RETRY_QUEUE_NUMS)
                    .defaultValue(Value.number(1))
                    .validate(Validators.integerBetween(0, 64))
                    .description("`retryQueueNums`: queues of the group's retry topic on each broker.")
                    .build(),
            Attribute.number(GroupState.RETRY_MAX_TIMES)
                    .defaultValue(Value.number(16))
                    .validate(Validators.integerBetween(-1, 10_000))
                    .description("`retryMaxTimes`: how often a message is redelivered before it goes to the group's "
                            + "dead-letter topic (the max reconsume times); -1 for RocketMQ's unlimited.")
                    .build(),
            Attribute.bool(GroupState.CONSUME_ENABLE)
                    .defaultValue(Value.bool(true))
                    .description("`consumeEnable`: false stops every consumer of the group from receiving.")
                    .build(),
            Attribute.bool(GroupState.CONSUME_BROADCAST_ENABLE)
                    .defaultValue(Value.bool(true))
                    .description("`consumeBroadcastEnable`: allow broadcast consumption.")
                    .build(),
            Attribute.bool(GroupState.CONSUME_FROM_MIN_ENABLE)
                    .defaultValue(Value.bool(true))
                    .description("`consumeFromMinEnable`: a new consumer starts from the queue's minimum offset.")
                    .build(),
            Attribute.number(GroupState.BROKER_ID)
                    .defaultValue(Value.number(0))
                    .validate(Validators.integerBetween(0, 1_000_000))
                    .description("`brokerId`: the broker (by id in its broker group) consumers pull from normally; "
                            + "0 is the master.")
                    .build(),
            Attribute.number(GroupState.WHICH_BROKER_WHEN_CONSUME_SLOWLY)
                    .defaultValue(Value.number(1))
                    .validate(Validators.integerBetween(0, 1_000_000))
                    .description("`whichBrokerWhenConsumeSlowly`: the broker id consumers are sent to when they fall "
                            + "behind (the master is slow to serve them); takes effect where the broker sets "
                            + "`slaveReadEnable`.")
                    .build(),
            Attribute.bool(GroupState.NOTIFY_CONSUMER_IDS_CHANGED_ENABLE)
                    .defaultValue(Value.bool(true))
                    .description("`notifyConsumerIdsChangedEnable`: tell consumers when the group's members change, "
                            + "so they rebalance at once.")
                    .build(),
            Attribute.number(GroupState.CONSUME_TIMEOUT_MINUTE)
                    .defaultValue(Value.number(15))
                    .validate(Validators.integerBetween(1, 10_080))
                    .description("`consumeTimeoutMinute`: minutes before an unacknowledged message is redelivered.")
                    .build(),
            Attribute.bool(GroupState.CONSUME_MESSAGE_ORDERLY)
                    .optional()
                    .description("`consumeMessageOrderly` (RocketMQ 5): FIFO consumption for 5.x clients. Left "
                            + "unset, the broker's value is kept and not tracked. Needs brokers of 5.0 or newer.")
                    .build(),
            Attribute.of(GroupState.BROKER_NAMES, TfType.list(TfType.STRING))
                    .computed()
                    .description("Masters of the cluster that carry the group. A plan that lists masters here the "
                            + "state lacks is writing the group where it is missing.")
                    .build()));

    private final ProviderContext context;

    public ConsumerGroupResource(ProviderContext context) {
        this.context = context;
    }

    @Override
    public String typeName() {
        return "rocketmq_consumer_group";
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public String importIdFormat() {
        return ClusterObjectId.FORMAT;
    }

    @Override
    public void validate(Requests.Validate request, Diagnostics diagnostics) {
        GroupNames.checkNotSystem(request.config().attribute("name"), diagnostics);
    }

    @Override
    public void modifyPlan(Requests.Plan request, PlanResponse response) {
        Value cluster = response.attribute("cluster_name");
        Value name = response.attribute("name");
        if (cluster.isKnown() && name.isKnown()) {
            response.setAttribute("id", Value.string(cluster.asString() + "/" + name.asString()));
        }
        Value prior = request.prior();
        Value nameServers = response.attribute("name_servers");
        if (prior == null || !cluster.isKnown() || !nameServers.isWhollyKnown()) {
            return;
        }
        Value carried = prior.attribute(GroupState.BROKER_NAMES);
        if (cluster.equals(prior.attribute("cluster_name"))
                && carried.isWhollyKnown()
                && !context.nameServers(nameServers).isEmpty()) {
            // A master without the group (deleted there, or joined since): the apply writes it there.
            List<String> masters = admin(response.planned()).masterNames();
            Value all = Value.list(
                    TfType.STRING, masters.stream().map(Value::string).toList());
            if (!all.equals(carried)) {
                response.setAttribute(GroupState.BROKER_NAMES, all);
            }
        }
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
        GroupAdmin admin = admin(planned);
        GroupState desired = GroupState.of(planned);
        if (desired.consumeMessageOrderly() != null) {
            GroupVersions.requireFiveForOrderly(context, planned);
        }
        List<String> written = admin.write(planned.attribute("name").asString(), desired);
        response.setState(planned.withAttribute(
                GroupState.BROKER_NAMES,
                Value.list(TfType.STRING, written.stream().map(Value::string).toList())));
    }

    @Override
    public void read(Requests.Read request, StateResponse response) {
        Value current = request.current();
        String name = current.attribute("name").asString();
        GroupAdmin admin = admin(current);
        Map<String, GroupState> found = admin.readEach(name);
        if (found.isEmpty()) {
            response.markGone();
            return;
        }
        List<String> masters = admin.masterNames();
        List<String> missing = new ArrayList<>(masters);
        missing.removeAll(found.keySet());
        if (!missing.isEmpty()) {
            response.diagnostics()
                    .warning(
                            "Consumer group " + name + " is missing on " + String.join(", ", missing),
                            "Masters " + missing + " of cluster "
                                    + current.attribute("cluster_name").asString()
                                    + " do not have consumer group " + name + " (it is on " + found.keySet()
                                    + "). Consumers served by those brokers fall back to RocketMQ's defaults or are "
                                    + "refused. The next apply writes the group there again.");
        }
        // Report the first master that differs from what is declared, so the plan shows (and repairs) the drift.
        GroupState declared = GroupState.of(current);
        GroupState shown = found.values().stream()
                .filter(s -> !s.sameSettings(declared))
                .findFirst()
                .orElse(found.values().iterator().next());
        Value next = shown.withBrokerNames(List.copyOf(found.keySet())).settingsOn(current);
        if (current.attribute("id").isNull()) {
            next = next.withAttribute(
                    "id", Value.string(current.attribute("cluster_name").asString() + "/" + name));
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
        ClusterObjectId id = ClusterObjectId.parse(request.id(), "orders-consumer");
        if (!GroupNames.isValid(id.name())) {
            throw new OperatorException(
                    "Invalid consumer group name in import ID \"" + request.id() + "\"",
                    id.name() + " is not " + GroupNames.RULE + ".");
        }
        // The schema's defaults stand in until the read that follows an import reports what the brokers have.
        Map<String, Value> attrs = new LinkedHashMap<>();
        SCHEMA.block()
                .attributes()
                .forEach(
                        a -> attrs.put(a.name(), a.defaultValue() != null ? a.defaultValue() : Value.nullOf(a.type())));
        attrs.put("id", Value.string(id.id()));
        attrs.put("name", Value.string(id.name()));
        attrs.put("cluster_name", Value.string(id.cluster()));
        attrs.put("name_servers", id.nameServersValue());
        attrs.put(GroupState.BROKER_NAMES, Value.list(TfType.STRING, List.of()));
        response.setState(Value.object(SCHEMA.block().type(), attrs));
    }

    private GroupAdmin admin(Value values) {
        return GroupAdmin.of(
                context,
                context.nameServers(values.attribute("name_servers")),
                values.attribute("cluster_name").asString());
    }
}
