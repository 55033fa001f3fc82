package dev.tfrocketmq.acceptance.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.route.QueueData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Looks at a running RocketMQ cluster the way an operator would, through one admin client. Close it once, at the
 * end of a test class: shutting the client down can take a few seconds.
 */
public final class Cluster implements AutoCloseable {
    private static final long ADMIN_TIMEOUT_MILLIS = 5_000;
    private static final long MASTER_ID = 0L;

    private final String nameServer;
    private final DefaultMQAdminExt admin;

    private Cluster(String nameServer, DefaultMQAdminExt admin) {
        this.nameServer = nameServer;
        this.admin = admin;
    }

    /** Starts an admin client for the name server at {@code host:port}. */
    public static Cluster connect(String nameServer) {
        DefaultMQAdminExt admin = new DefaultMQAdminExt(ADMIN_TIMEOUT_MILLIS);
        admin.setNamesrvAddr(nameServer);
        admin.setInstanceName("acc-admin-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            admin.start();
        } catch (MQClientException e) {
            throw new IllegalStateException("cannot start an admin client for " + nameServer, e);
        }
        return new Cluster(nameServer, admin);
    }

    public String nameServer() {
        return nameServer;
    }

    /** The address of broker {@code brokerName}'s master (broker id 0) as the name server has it registered. */
    public Optional<String> masterAddress(String brokerName) throws Exception {
        ClusterInfo info = admin.examineBrokerClusterInfo();
        Map<String, BrokerData> brokers = info == null ? null : info.getBrokerAddrTable();
        BrokerData broker = brokers == null ? null : brokers.get(brokerName);
        return broker == null || broker.getBrokerAddrs() == null
                ? Optional.empty()
                : Optional.ofNullable(broker.getBrokerAddrs().get(MASTER_ID));
    }

    /** Waits until the name server lists {@code expectedAddress} as the master of {@code brokerName}. */
    public void awaitMaster(String brokerName, String expectedAddress, Duration timeout) {
        Await.until("broker " + brokerName + " registered in " + nameServer + " as " + expectedAddress, timeout, () -> {
            Optional<String> master = masterAddress(brokerName);
            if (master.isPresent() && !master.get().equals(expectedAddress)) {
                throw new IllegalStateException("registered as " + master.get());
            }
            return master.isPresent();
        });
    }

    /** Every master address of every broker the name server knows. */
    public List<String> masterAddresses() throws Exception {
        List<String> masters = new ArrayList<>();
        ClusterInfo info = admin.examineBrokerClusterInfo();
        if (info != null && info.getBrokerAddrTable() != null) {
            for (BrokerData broker : info.getBrokerAddrTable().values()) {
                String master = broker.getBrokerAddrs() == null
                        ? null
                        : broker.getBrokerAddrs().get(MASTER_ID);
                if (master != null) {
                    masters.add(master);
                }
            }
        }
        return masters;
    }

    /** Every broker the name server knows: broker name to (broker id to address), both sorted. */
    public Map<String, Map<Long, String>> brokerAddresses() throws Exception {
        Map<String, Map<Long, String>> all = new TreeMap<>();
        ClusterInfo info = admin.examineBrokerClusterInfo();
        if (info != null && info.getBrokerAddrTable() != null) {
            for (Map.Entry<String, BrokerData> broker :
                    info.getBrokerAddrTable().entrySet()) {
                Map<Long, String> byId = broker.getValue().getBrokerAddrs();
                all.put(broker.getKey(), byId == null ? Map.of() : new TreeMap<>(byId));
            }
        }
        return all;
    }

    /** The broker names the name server lists under {@code clusterName}. */
    public Set<String> brokerNamesIn(String clusterName) throws Exception {
        ClusterInfo info = admin.examineBrokerClusterInfo();
        Map<String, Set<String>> clusters = info == null ? null : info.getClusterAddrTable();
        Set<String> names = clusters == null ? null : clusters.get(clusterName);
        return names == null ? Set.of() : new TreeSet<>(names);
    }

    /** The broker's commitLogMaxOffset from its runtime stats (masters and slaves alike). */
    public long commitLogMaxOffset(String brokerAddress) throws Exception {
        String value = admin.fetchBrokerRuntimeStats(brokerAddress).getTable().get("commitLogMaxOffset");
        if (value == null) {
            throw new IllegalStateException(brokerAddress + " reports no commitLogMaxOffset");
        }
        return Long.parseLong(value.trim());
    }

    /** The broker's own config, as {@code mqadmin getBrokerConfig} shows it. */
    public Properties brokerConfig(String brokerAddress) throws Exception {
        return admin.getBrokerConfig(brokerAddress);
    }

    /** Changes one key on a running broker, as {@code mqadmin updateBrokerConfig} does. */
    public void updateBrokerConfig(String brokerAddress, String key, String value) throws Exception {
        Properties update = new Properties();
        update.setProperty(key, value);
        admin.updateBrokerConfig(brokerAddress, update);
    }

    /** The topic's route; empty when the name server answers that the topic does not exist. */
    public Optional<TopicRouteData> route(String topic) throws Exception {
        try {
            return Optional.of(admin.examineTopicRouteInfo(topic));
        } catch (MQClientException e) {
            if (e.getResponseCode() == ResponseCode.TOPIC_NOT_EXIST) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Waits until every queue entry of the topic's route has the given read and write queue numbers. */
    public List<QueueData> awaitQueues(String topic, int readQueues, int writeQueues, Duration timeout) {
        return Await.value(
                "route of " + topic + " with " + readQueues + " read / " + writeQueues + " write queues",
                timeout,
                () -> {
                    Optional<TopicRouteData> route = route(topic);
                    if (route.isEmpty()) {
                        throw new IllegalStateException("no route for " + topic);
                    }
                    List<QueueData> queues = route.get().getQueueDatas();
                    if (queues == null || queues.isEmpty()) {
                        throw new IllegalStateException("route for " + topic + " has no queue data");
                    }
                    for (QueueData q : queues) {
                        if (q.getReadQueueNums() != readQueues || q.getWriteQueueNums() != writeQueues) {
                            throw new IllegalStateException("route has " + q);
                        }
                    }
                    return Optional.of(List.copyOf(queues));
                });
    }

    /** Waits until the name server answers that the topic does not exist. */
    public void awaitNoRoute(String topic, Duration timeout) {
        Await.until("no route for " + topic, timeout, () -> route(topic).isEmpty());
    }

    /** The topic's config as one broker holds it. */
    public TopicConfig topicConfig(String brokerAddress, String topic) throws Exception {
        return admin.examineTopicConfig(brokerAddress, topic);
    }

    /** Deletes a topic the way an operator would by hand: on every master, then in the name server. */
    public void deleteTopic(String topic) throws Exception {
        List<String> masters = masterAddresses();
        if (masters.isEmpty()) {
            throw new IllegalStateException("no master registered in " + nameServer);
        }
        admin.deleteTopicInBroker(Set.copyOf(masters), topic);
        admin.deleteTopicInNameServer(Set.of(nameServer), topic);
    }

    @Override
    public void close() {
        admin.shutdown();
    }
}
