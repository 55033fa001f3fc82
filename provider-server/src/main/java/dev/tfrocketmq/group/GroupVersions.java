package dev.tfrocketmq.group;

import dev.tfrocketmq.admin.ClusterBrokers;
import dev.tfrocketmq.context.ProviderContext;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.runtime.RocketMqVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings that only RocketMQ 5 brokers keep: refused, before anything is written, on a cluster of 4.x masters. */
final class GroupVersions {
    private static final RocketMqVersion FIVE = new RocketMqVersion(5, 0, 0, "");

    private GroupVersions() {}

    static void requireFiveForOrderly(ProviderContext context, Value planned) {
        List<String> nameServers = context.nameServers(planned.attribute("name_servers"));
        ClusterBrokers brokers = new ClusterBrokers(
                context.admin().forNameServers(nameServers),
                nameServers,
                planned.attribute("cluster_name").asString());
        for (Map.Entry<String, String> m : brokers.masters().entrySet()) {
            Optional<RocketMqVersion> v = brokers.version(m.getValue());
            if (v.isPresent() && v.get().compareTo(FIVE) < 0) {
                throw new OperatorException(
                        "consume_message_orderly needs RocketMQ 5",
                        "Broker " + m.getKey() + " at " + m.getValue() + " runs RocketMQ " + v.get()
                                + ", which has no orderly setting for consumer groups (RocketMQ 5.0 or newer has). "
                                + "Remove consume_message_orderly, or upgrade the brokers. Nothing was written.");
            }
        }
    }
}
