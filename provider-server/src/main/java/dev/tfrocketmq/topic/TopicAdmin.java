package dev.tfrocketmq.topic;

import dev.tfrocketmq.admin.AdminErrors;
import dev.tfrocketmq.context.ProviderContext;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.resource.Cancellation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.attribute.TopicMessageType;
import org.apache.rocketmq.remoting.protocol.admin.TopicStatsTable;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.body.TopicConfigSerializeWrapper;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Topic operations on one cluster through one admin client. Every failure names the name servers.
 *
 * <p>A topic is read from every master's full topic table ({@code getAllTopicConfig}, one request per master, kept
 * for a few seconds per session by {@link TopicTables}, so a refresh of a thousand topics costs a few requests), and
 * it is reported gone only when every master of the cluster is registered, answers, and lacks it. A cluster whose
 * brokers have not registered yet (a name server just restarted) or a master that is down is an error that keeps the
 * state, never an absence.
 */
final class TopicAdmin {
    private static final Log LOG = Log.named("topic");
    private static final Duration REGISTRATION_WAIT = Duration.ofSeconds(60);

    private final Function<List<String>, DefaultMQAdminExt> clients;
    private final DefaultMQAdminExt admin;
    private final List<String> nameServers;
    private final String cluster;
    private final TopicTables tables;

    /**
     * @param clients admin clients by name-server set: one for all of them (writes), one per name server (reads, so
     *     that a name server that just restarted and knows no broker yet is outvoted by the others)
     */
    TopicAdmin(
            Function<List<String>, DefaultMQAdminExt> clients,
            List<String> nameServers,
            String cluster,
            TopicTables tables) {
        this.clients = clients;
        this.admin = clients.apply(nameServers);
        this.nameServers = nameServers;
        this.cluster = cluster;
        this.tables = tables;
    }

    /** Topic operations on {@code cluster} through the provider's shared admin clients for these name servers. */
    static TopicAdmin of(ProviderContext context, List<String> nameServers, String cluster, TopicTables tables) {
        return new TopicAdmin(context.admin()::forNameServers, nameServers, cluster, tables);
    }

    /**
     * What the name servers know of the cluster, merged: every name server is asked, and a broker any of them has
     * registered counts. One that is down is passed over; all of them down is an error.
     */
    private ClusterInfo mergedView() {
        return tables.cluster(nameServers, () -> {
            ClusterInfo merged = new ClusterInfo();
            merged.setBrokerAddrTable(new HashMap<>());
            merged.setClusterAddrTable(new HashMap<>());
            Exception last = null;
            int answered = 0;
            for (String ns : nameServers) {
                ClusterInfo info;
                try {
                    info = clients.apply(List.of(ns)).examineBrokerClusterInfo();
                } catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    last = e;
                    LOG.debug("name server did not answer", "name_server", ns, "error", AdminErrors.describe(e));
                    continue;
                }
                answered++;
                if (info.getClusterAddrTable() != null) {
                    info.getClusterAddrTable()
                            .forEach((c, names) -> merged.getClusterAddrTable()
                                    .computeIfAbsent(c, k -> new HashSet<>())
                                    .addAll(names));
                }
                if (info.getBrokerAddrTable() != null) {
                    info.getBrokerAddrTable().forEach((name, data) -> {
                        BrokerData into = merged.getBrokerAddrTable()
                                .computeIfAbsent(name, n -> new BrokerData(data.getCluster(), n, new HashMap<>()));
                        into.getBrokerAddrs().putAll(data.getBrokerAddrs());
                    });
                }
            }
            if (answered == 0) {
                throw unreachable("read the cluster", last);
            }
            return merged;
        });
    }

    /** The cluster's broker groups as the name servers see them: group name to master address (null: none). */
    private Map<String, String> groups() {
        ClusterInfo info = mergedView();
        Set<String> names = info.getClusterAddrTable().get(cluster);
        if (names == null || names.isEmpty()) {
            throw new OperatorException(
                    "Cluster " + cluster + " not found",
                    "No broker of cluster " + cluster + " is registered in name servers "
                            + String.join(";", nameServers)
                            + ". Registered clusters: "
                            + (info.getClusterAddrTable().isEmpty()
                                    ? "none"
                                    : info.getClusterAddrTable().keySet())
                            + ". Check cluster_name and name_servers; a name server that has just started learns "
                            + "its brokers within 30 s, so try again then. The state was left unchanged.");
        }
        Map<String, String> groups = new TreeMap<>();
        for (String name : names) {
            BrokerData data = info.getBrokerAddrTable().get(name);
            groups.put(name, data == null ? null : data.getBrokerAddrs().get(0L));
        }
        return groups;
    }

    /** Broker name to master address; every group of the cluster must have its master registered. */
    Map<String, String> masters() {
        Map<String, String> groups = groups();
        List<String> headless = groups.entrySet().stream()
                .filter(e -> e.getValue() == null)
                .map(Map.Entry::getKey)
                .toList();
        if (!headless.isEmpty()) {
            throw new OperatorException(
                    "Broker group without a master in cluster " + cluster,
                    "The master (broker_id 0) of " + headless + " is not registered in name servers "
                            + String.join(";", nameServers) + ", so what it holds cannot be read or changed. Start "
                            + "the master (its slave alone cannot be written to), then run the command again. The "
                            + "state was left unchanged.");
        }
        return groups;
    }

    /** As {@link #masters}, but waits (bounded, logging its progress) for a cluster that is still registering. */
    private Map<String, String> mastersOnceRegistered(Cancellation cancellation) {
        long deadline = System.nanoTime() + REGISTRATION_WAIT.toNanos();
        long nextLog = 0;
        while (true) {
            try {
                return masters();
            } catch (OperatorException e) {
                if (System.nanoTime() > deadline || cancellation.isCancelled()) {
                    throw e;
                }
                tables.forget(List.of()); // look again, not at the view kept from a moment ago
                if (System.nanoTime() > nextLog) {
                    LOG.info(
                            "waiting for the cluster's masters to register",
                            "cluster",
                            cluster,
                            "name_servers",
                            String.join(";", nameServers),
                            "why",
                            e.summary());
                    nextLog = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                }
                if (cancellation.sleep(Duration.ofSeconds(1))) {
                    throw e;
                }
            }
        }
    }

    /** What a read found: the topic, its definite absence, or why neither can be told. */
    sealed interface Found {
        record Present(TopicState state) implements Found {}

        record Gone() implements Found {}

        record Unverified(String why) implements Found {}
    }

    /**
     * The topic as the cluster's masters report it; gone only when every group of the cluster has its master
     * registered, every master answers, and none has it. A topic that some reachable master has is present even
     * while other masters are down.
     */
    Found read(String topic) {
        Map<String, String> groups;
        try {
            groups = groups();
        } catch (OperatorException e) {
            if (e.summary().startsWith("Cluster ")) {
                return new Found.Unverified(e.getMessage());
            }
            throw e;
        }
        TopicConfig first = null;
        List<String> carrying = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> g : groups.entrySet()) {
            if (g.getValue() == null) {
                unknown.add("the master of " + g.getKey() + " is not registered (a slave alone cannot say)");
                continue;
            }
            Map<String, TopicConfig> table;
            try {
                table = tables.of(g.getValue(), () -> allTopics(g.getKey(), g.getValue()));
            } catch (OperatorException e) {
                unknown.add("the master of " + g.getKey() + " at " + g.getValue() + " did not answer");
                continue;
            }
            TopicConfig config = table.get(topic);
            if (config != null) {
                carrying.add(g.getKey());
                if (first == null) {
                    first = config;
                }
            }
        }
        if (first != null) {
            return new Found.Present(new TopicState(
                    first.getReadQueueNums(),
                    first.getWriteQueueNums(),
                    first.getPerm(),
                    first.isOrder(),
                    declaredMessageType(first),
                    List.copyOf(carrying)));
        }
        if (!unknown.isEmpty()) {
            return new Found.Unverified(String.join("; ", unknown));
        }
        return new Found.Gone();
    }

    /** The message type a topic was given ("+message.type"), or null: the broker's default is not a declaration. */
    private static String declaredMessageType(TopicConfig config) {
        Map<String, String> attributes = config.getAttributes();
        String type = attributes == null ? null : attributes.get("message.type");
        if (type == null) {
            type = attributes == null ? null : attributes.get("+message.type");
        }
        return type == null || type.isBlank() || type.equals(TopicMessageType.UNSPECIFIED.name()) ? null : type;
    }

    private Map<String, TopicConfig> allTopics(String broker, String address) {
        TopicConfigSerializeWrapper wrapper;
        try {
            wrapper = admin.getAllTopicConfig(address, TIMEOUT_MILLIS);
        } catch (Exception e) {
            throw new OperatorException(
                    "Cannot read the topics of broker " + broker,
                    "The master of " + broker + " at " + address + " (cluster " + cluster + ") did not answer: "
                            + AdminErrors.describe(e) + ". Without every master's answer it cannot be told whether "
                            + "a topic exists, so the state was left unchanged. Check that the broker runs and is "
                            + "reachable from the machine running Terraform.",
                    e);
        }
        Map<String, TopicConfig> table = wrapper == null ? null : wrapper.getTopicConfigTable();
        return table == null ? Map.of() : Map.copyOf(table);
    }

    private static final long TIMEOUT_MILLIS = 5_000;

    /** Creates or updates the topic on every master, merging with what each already has, then waits for the route. */
    void write(String topic, TopicState desired, Cancellation cancellation) {
        Map<String, String> masters = mastersOnceRegistered(cancellation);
        tables.forget(masters.values());
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

    /** The queues numbered {@code from} and up that hold messages on some master, as "broker/queue (n messages)". */
    List<String> queuesHoldingMessages(String topic, int from) {
        TopicStatsTable stats;
        try {
            stats = admin.examineTopicStats(topic);
        } catch (Exception e) {
            if (AdminErrors.isTopicNotExist(e)) {
                return List.of();
            }
            throw unreachable("read the queue offsets of topic " + topic, e);
        }
        List<String> holding = new ArrayList<>();
        stats.getOffsetTable().forEach((queue, offsets) -> {
            long held = offsets.getMaxOffset() - offsets.getMinOffset();
            if (queue.getQueueId() >= from && held > 0) {
                holding.add(queue.getBrokerName() + "/" + queue.getQueueId() + " (" + held + " messages)");
            }
        });
        holding.sort(null);
        return holding;
    }

    /** Deletes the topic on every master and in the name servers; a topic already gone is not an error. */
    void delete(String topic) {
        Map<String, String> masters = masters();
        tables.forget(masters.values());
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
                        + AdminErrors.describe(e, nameServers)
                        + ". Check that the name servers and brokers run and are reachable from the machine running "
                        + "Terraform. The state was left unchanged.",
                e);
    }
}
