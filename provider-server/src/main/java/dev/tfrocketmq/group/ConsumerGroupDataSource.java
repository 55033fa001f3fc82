package dev.tfrocketmq.group;

import dev.tfrocketmq.admin.AdminErrors;
import dev.tfrocketmq.context.ProviderContext;
import dev.tfrocketmq.context.RocketMqNames;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.resource.DataSource;
import dev.tfrocketmq.framework.resource.Requests;
import dev.tfrocketmq.framework.resource.StateResponse;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.admin.ConsumeStats;
import org.apache.rocketmq.remoting.protocol.admin.OffsetWrapper;
import org.apache.rocketmq.remoting.protocol.body.Connection;
import org.apache.rocketmq.remoting.protocol.body.ConsumerConnection;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * {@code rocketmq_consumer_group} data source: an existing group's settings as its masters report them, and what
 * RocketMQ says about it right now: the consumers connected and how far behind they are.
 */
public final class ConsumerGroupDataSource implements DataSource {
    /** ResponseCode.CONSUMER_NOT_ONLINE: the group has no consumer connected. */
    private static final int CONSUMER_NOT_ONLINE = 206;

    private static final TfType.ObjectType CONSUMER = TfType.object(Map.of(
            "client_id", TfType.STRING,
            "client_addr", TfType.STRING,
            "language", TfType.STRING,
            "version", TfType.NUMBER));

    private static final Schema SCHEMA = Schema.of(Block.of(
            "An existing consumer group: its settings, the consumers connected now and their lag.",
            Attribute.string("id")
                    .computed()
                    .description("`<cluster_name>/<name>`.")
                    .build(),
            Attribute.string("name")
                    .required()
                    .validate(GroupNames.GROUP)
                    .description("Group name.")
                    .build(),
            Attribute.string("cluster_name")
                    .optional()
                    .computed()
                    .validate(RocketMqNames.clusterOrBroker())
                    .description("Cluster. Default `" + RocketMqNames.DEFAULT_CLUSTER + "`.")
                    .build(),
            RocketMqNames.nameServers()
                    .description("Name servers; defaults to the provider's `name_servers`.")
                    .build(),
            Attribute.number(GroupState.RETRY_QUEUE_NUMS).computed().build(),
            Attribute.number(GroupState.RETRY_MAX_TIMES).computed().build(),
            Attribute.bool(GroupState.CONSUME_ENABLE).computed().build(),
            Attribute.bool(GroupState.CONSUME_BROADCAST_ENABLE).computed().build(),
            Attribute.bool(GroupState.CONSUME_FROM_MIN_ENABLE).computed().build(),
            Attribute.number(GroupState.BROKER_ID).computed().build(),
            Attribute.number(GroupState.WHICH_BROKER_WHEN_CONSUME_SLOWLY)
                    .computed()
                    .build(),
            Attribute.bool(GroupState.NOTIFY_CONSUMER_IDS_CHANGED_ENABLE)
                    .computed()
                    .build(),
            Attribute.number(GroupState.CONSUME_TIMEOUT_MINUTE).computed().build(),
            Attribute.bool(GroupState.CONSUME_MESSAGE_ORDERLY)
                    .computed()
                    .description("As the broker reports it (false on RocketMQ 4).")
                    .build(),
            Attribute.of(GroupState.BROKER_NAMES, TfType.list(TfType.STRING))
                    .computed()
                    .description("Masters that carry the group.")
                    .build(),
            Attribute.of("consumers", TfType.list(CONSUMER))
                    .computed()
                    .description("Consumers connected now: `client_id`, `client_addr`, `language`, `version` "
                            + "(RocketMQ's version number of the client). Empty when none is online.")
                    .build(),
            Attribute.number("lag")
                    .computed()
                    .description("Messages not yet consumed by the group, summed over its queues (broker offset "
                            + "minus consumer offset), as RocketMQ reports it; 0 for a group that never consumed.")
                    .build(),
            Attribute.of("lag_by_topic", TfType.map(TfType.NUMBER))
                    .computed()
                    .description("The lag per topic, including the group's retry topic.")
                    .build(),
            Attribute.number("consume_tps")
                    .computed()
                    .description("Messages per second the group consumes, as RocketMQ reports it.")
                    .build()));

    private final ProviderContext context;

    public ConsumerGroupDataSource(ProviderContext context) {
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
    public void read(Requests.ReadData request, StateResponse response) {
        Value config = request.config();
        String name = config.attribute("name").asString();
        String cluster = config.attribute("cluster_name").isNull()
                ? RocketMqNames.DEFAULT_CLUSTER
                : config.attribute("cluster_name").asString();
        List<String> nameServers = context.nameServers(config.attribute("name_servers"));
        GroupAdmin groups = GroupAdmin.of(context, nameServers, cluster);
        Map<String, GroupState> found = groups.readEach(name);
        if (found.isEmpty()) {
            throw new OperatorException(
                    "Consumer group " + name + " not found",
                    "No master of cluster " + cluster + " (name servers " + String.join(";", nameServers)
                            + ") has consumer group " + name + ". Check name, cluster_name and name_servers.");
        }
        GroupState s = found.values().iterator().next().withBrokerNames(List.copyOf(found.keySet()));
        DefaultMQAdminExt admin = context.admin().forNameServers(nameServers);
        ConsumeStats stats = consumeStats(admin, name);
        Map<String, Value> byTopic = new TreeMap<>();
        long lag = 0;
        if (stats != null) {
            Map<String, Long> sums = new TreeMap<>();
            for (Map.Entry<MessageQueue, OffsetWrapper> e :
                    stats.getOffsetTable().entrySet()) {
                long diff = Math.max(
                        0, e.getValue().getBrokerOffset() - e.getValue().getConsumerOffset());
                sums.merge(e.getKey().getTopic(), diff, Long::sum);
                lag += diff;
            }
            sums.forEach((t, n) -> byTopic.put(t, Value.number(n)));
        }
        Value read = s.settingsOn(config)
                .withAttribute(
                        GroupState.CONSUME_MESSAGE_ORDERLY, Value.bool(Boolean.TRUE.equals(s.consumeMessageOrderly())))
                .withAttribute("id", Value.string(cluster + "/" + name))
                .withAttribute("cluster_name", Value.string(cluster))
                .withAttribute("consumers", consumers(admin, name))
                .withAttribute("lag", Value.number(lag))
                .withAttribute("lag_by_topic", Value.map(TfType.NUMBER, byTopic))
                .withAttribute(
                        "consume_tps",
                        Value.number(stats == null ? BigDecimal.ZERO : BigDecimal.valueOf(stats.getConsumeTps())));
        response.setState(read);
    }

    private static Value consumers(DefaultMQAdminExt admin, String group) {
        ConsumerConnection connection;
        try {
            connection = admin.examineConsumerConnectionInfo(group);
        } catch (Exception e) {
            if (hasCode(e, CONSUMER_NOT_ONLINE)) {
                return Value.list(CONSUMER, List.of());
            }
            throw failure("read the consumers of group " + group, e);
        }
        return Value.list(
                CONSUMER,
                connection.getConnectionSet().stream()
                        .sorted(Comparator.comparing(Connection::getClientId))
                        .map(c -> Value.object(
                                CONSUMER,
                                Map.of(
                                        "client_id", Value.string(c.getClientId()),
                                        "client_addr", Value.string(c.getClientAddr()),
                                        "language", Value.string(String.valueOf(c.getLanguage())),
                                        "version", Value.number(c.getVersion()))))
                        .toList());
    }

    /** The group's consume stats, or null for a group that has no offsets yet (it never consumed). */
    private static ConsumeStats consumeStats(DefaultMQAdminExt admin, String group) {
        try {
            return admin.examineConsumeStats(group);
        } catch (Exception e) {
            String m = String.valueOf(e.getMessage());
            if (!AdminErrors.isAccessDenied(e)
                    && (m.contains("offset table is empty") || m.contains("No topic route info"))) {
                return null;
            }
            throw failure("read the consume stats of group " + group, e);
        }
    }

    private static boolean hasCode(Throwable e, int code) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MQBrokerException b && b.getResponseCode() == code) {
                return true;
            }
            if (t instanceof MQClientException c && c.getResponseCode() == code) {
                return true;
            }
        }
        return false;
    }

    private static OperatorException failure(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new OperatorException(
                "Cannot " + what, AdminErrors.describe(e) + ". Check that the brokers run and are reachable.", e);
    }
}
