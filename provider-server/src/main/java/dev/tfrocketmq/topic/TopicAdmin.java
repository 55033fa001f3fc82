package dev.tfrocketmq.topic;

import dev.tfrocketmq.admin.AdminErrors;
import dev.tfrocketmq.context.ProviderContext;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.resource.Cancellation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.attribute.TopicMessageType;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.route.QueueData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/** Topic operations on one cluster through one admin client. Every failure names the name servers. */
final class TopicAdmin {
    private final DefaultMQAdminExt admin;
    private final List<String> nameServers;
    private final String cluster;

    TopicAdmin(DefaultMQAdminExt admin, List<String> nameServers, String cluster) {
        this.admin = admin;
        this.nameServers = nameServers;
        this.cluster = cluster;
    }

    /** Topic operations on {@code cluster} through the provider's shared admin client for these name servers. */
    static TopicAdmin of(ProviderContext context, List<String> nameServers, String cluster) {
        return new TopicAdmin(context.admin().forNameServers(nameServers), nameServers, cluster);
    }

    /** Broker name to master address for the cluster. */
    Map<String, String> masters() {
        ClusterInfo info;
        try {
            info = admin.examineBrokerClusterInfo();
        } catch (Exception e) {
            throw unreachable("read the cluster", e);
        }
        Set<String> names = info.getClusterAddrTable() == null
                ? null
                : info.getClusterAddrTable().get(cluster);
        if (names == null || names.isEmpty()) {
            throw new OperatorException(
                    "Cluster " + cluster + " not found",
                    "No broker of cluster " + cluster + " is registered in name servers "
                            + String.join(";", nameServers)
                            + ". Registered clusters: "
                            + (info.getClusterAddrTable() == null
                                    ? "none"
                                    : info.getClusterAddrTable().keySet()) + ". Check cluster_name and name_servers.");
        }
        Map<String, String> masters = new TreeMap<>();
        for (String name : names) {
            BrokerData data = info.getBrokerAddrTable().get(name);
            String master = data == null ? null : data.getBrokerAddrs().get(0L);
            if (master != null) {
                masters.put(name, master);
            }
        }
        if (masters.isEmpty()) {
            throw new OperatorException(
                    "Cluster " + cluster + " has no master",
                    "Brokers " + names + " of cluster " + cluster + " are registered in "
                            + String.join(";", nameServers)
                            + " but none is a master (broker_id 0). Start a master first.");
        }
        return masters;
    }

    /** The topic's config as the cluster's masters report it, or empty when it definitely does not exist. */
    Optional<TopicState> read(String topic) {
        TopicRouteData route;
        try {
            route = admin.examineTopicRouteInfo(topic);
        } catch (Exception e) {
            if (AdminErrors.isTopicNotExist(e)) {
                return Optional.empty();
            }
            throw unreachable("read the route of topic " + topic, e);
        }
        Map<String, String> masters = masters();
        List<QueueData> queues = new ArrayList<>();
        for (QueueData q : route.getQueueDatas()) {
            if (masters.containsKey(q.getBrokerName())) {
                queues.add(q);
            }
        }
        if (queues.isEmpty()) {
            return Optional.empty();
        }
        QueueData first = queues.get(0);
        String master = masters.get(first.getBrokerName());
        TopicConfig config;
        try {
            config = BrokerTopicConfig.read(admin, master, topic);
        } catch (Exception e) {
            if (AdminErrors.isTopicNotExist(e)) {
                return Optional.empty();
            }
            throw unreachable("read topic " + topic + " from broker " + master, e);
        }
        if (config == null) {
            return Optional.empty();
        }
        TopicMessageType type = config.getTopicMessageType();
        return Optional.of(new TopicState(
                config.getReadQueueNums(),
                config.getWriteQueueNums(),
                config.getPerm(),
                config.isOrder(),
                type == null || type == TopicMessageType.UNSPECIFIED ? null : type.name(),
                queues.stream()
                        .map(QueueData::getBrokerName)
                        .distinct()
                        .sorted()
                        .toList()));
    }

    /** Creates or updates the topic on every master, merging with what each already has, then waits for the route. */
    void write(String topic, TopicState desired, Cancellation cancellation) {
        Map<String, String> masters = masters();
        for (Map.Entry<String, String> m : masters.entrySet()) {
            TopicConfig config = existing(m.getValue(), topic).orElseGet(() -> new TopicConfig(topic));
            config.setTopicName(topic);
            config.setReadQueueNums(desired.readQueueNums());
            config.setWriteQueueNums(desired.writeQueueNums());
            config.setPerm(desired.perm());
            config.setOrder(desired.order());
            Map<String, String> attributes = new LinkedHashMap<>();
            if (desired.messageType() != null) {
                attributes.put("+message.type", desired.messageType());
            }
            config.setAttributes(attributes);
            try {
                admin.createAndUpdateTopicConfig(m.getValue(), config);
            } catch (Exception e) {
                throw new OperatorException(
                        "Cannot write topic " + topic,
                        "Broker " + m.getKey() + " at " + m.getValue() + " refused createAndUpdateTopicConfig: "
                                + AdminErrors.describe(e) + ". Nothing else was changed on the remaining brokers.",
                        e);
            }
        }
        awaitRoute(topic, desired, masters.keySet(), cancellation);
    }

    private Optional<TopicConfig> existing(String master, String topic) {
        try {
            return Optional.ofNullable(BrokerTopicConfig.read(admin, master, topic));
        } catch (Exception e) {
            if (AdminErrors.isTopicNotExist(e)) {
                return Optional.empty();
            }
            throw unreachable("read topic " + topic + " from broker " + master + " before writing it", e);
        }
    }

    private void awaitRoute(String topic, TopicState desired, Set<String> brokers, Cancellation cancellation) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String seen = "no route";
        while (true) {
            try {
                TopicRouteData route = admin.examineTopicRouteInfo(topic);
                long matching = route.getQueueDatas().stream()
                        .filter(q -> brokers.contains(q.getBrokerName())
                                && q.getReadQueueNums() == desired.readQueueNums()
                                && q.getWriteQueueNums() == desired.writeQueueNums()
                                && q.getPerm() == desired.perm())
                        .count();
                if (matching == brokers.size()) {
                    return;
                }
                seen = route.getQueueDatas().toString();
            } catch (Exception e) {
                seen = AdminErrors.describe(e);
            }
            if (System.nanoTime() > deadline || cancellation.sleep(Duration.ofMillis(100))) {
                throw new OperatorException(
                        "Topic " + topic + " did not appear in the name servers",
                        "The brokers accepted topic " + topic + " but name servers " + String.join(";", nameServers)
                                + " do not show the declared queues on " + brokers + " after 30 s (last seen: " + seen
                                + "). Check the brokers' logs; the next apply retries.");
            }
        }
    }

    /** Deletes the topic on every master and in the name servers; a topic already gone is not an error. */
    void delete(String topic) {
        Map<String, String> masters = masters();
        try {
            admin.deleteTopicInBroker(Set.copyOf(masters.values()), topic);
        } catch (Exception e) {
            if (!AdminErrors.isTopicNotExist(e)) {
                throw unreachable("delete topic " + topic + " on brokers " + masters.values(), e);
            }
        }
        try {
            admin.deleteTopicInNameServer(Set.copyOf(nameServers), topic);
        } catch (Exception e) {
            if (!AdminErrors.isTopicNotExist(e)) {
                throw unreachable("delete topic " + topic + " from the name servers", e);
            }
        }
    }

    private OperatorException unreachable(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new OperatorException(
                "Cannot " + what,
                "Name servers " + String.join(";", nameServers) + " (cluster " + cluster + "): "
                        + AdminErrors.describe(e)
                        + ". Check that the name servers and brokers run and are reachable from the machine running "
                        + "Terraform. The state was left unchanged.",
                e);
    }
}
