package dev.tfrocketmq.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tfrocketmq.framework.diag.OperatorException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.remoting.exception.RemotingConnectException;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.body.TopicConfigSerializeWrapper;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.Test;

/** When a topic counts as gone: only when every master of the cluster is registered, answers, and lacks it. */
final class TopicAdminTest {
    private static final List<String> NAME_SERVERS = List.of("10.0.0.1:9876", "10.0.0.2:9876");

    /** Name servers and masters as a test sets them; calls to a broker listed in {@code down} fail to connect. */
    static final class FakeAdmin extends DefaultMQAdminExt {
        final Map<String, Map<Long, String>> groups = new TreeMap<>();
        final Map<String, Map<String, TopicConfig>> topicsByBroker = new HashMap<>();
        final List<String> down = new ArrayList<>();
        final AtomicInteger clusterReads = new AtomicInteger();
        final AtomicInteger tableReads = new AtomicInteger();
        int nameServerFailuresLeft;
        String clusterName = "DefaultCluster";

        @Override
        public ClusterInfo examineBrokerClusterInfo() throws RemotingConnectException {
            clusterReads.incrementAndGet();
            if (nameServerFailuresLeft > 0) {
                nameServerFailuresLeft--;
                throw new RemotingConnectException("10.0.0.1:9876");
            }
            ClusterInfo info = new ClusterInfo();
            HashMap<String, BrokerData> brokers = new HashMap<>();
            groups.forEach((name, ids) -> brokers.put(name, new BrokerData(clusterName, name, new HashMap<>(ids))));
            info.setBrokerAddrTable(brokers);
            HashMap<String, Set<String>> clusters = new HashMap<>();
            if (!groups.isEmpty()) {
                clusters.put(clusterName, Set.copyOf(groups.keySet()));
            }
            info.setClusterAddrTable(clusters);
            return info;
        }

        @Override
        public TopicConfigSerializeWrapper getAllTopicConfig(String address, long timeout)
                throws RemotingConnectException {
            tableReads.incrementAndGet();
            if (down.contains(address)) {
                throw new RemotingConnectException(address);
            }
            TopicConfigSerializeWrapper wrapper = new TopicConfigSerializeWrapper();
            wrapper.getTopicConfigTable().putAll(topicsByBroker.getOrDefault(address, Map.of()));
            return wrapper;
        }

        void master(String group, String address) {
            groups.computeIfAbsent(group, g -> new HashMap<>()).put(0L, address);
        }

        void slaveOnly(String group, String address) {
            groups.computeIfAbsent(group, g -> new HashMap<>()).put(1L, address);
        }

        void topic(String address, String topic) {
            topicsByBroker.computeIfAbsent(address, a -> new HashMap<>()).put(topic, new TopicConfig(topic, 4, 4, 6));
        }
    }

    private final FakeAdmin fake = new FakeAdmin();
    private final TopicAdmin admin = new TopicAdmin(ns -> fake, NAME_SERVERS, "DefaultCluster", new TopicTables());

    @Test
    void aTopicNoMasterHasIsGoneOnlyOnceEveryMasterAnswered() {
        fake.master("broker-a", "10.0.0.1:10911");
        fake.master("broker-b", "10.0.0.2:10911");
        assertThat(admin.read("orders")).isInstanceOf(TopicAdmin.Found.Gone.class);
    }

    @Test
    void aTopicOnSomeMastersIsReportedWithTheMastersThatCarryIt() {
        fake.master("broker-a", "10.0.0.1:10911");
        fake.master("broker-b", "10.0.0.2:10911");
        fake.topic("10.0.0.2:10911", "orders");
        TopicState state = ((TopicAdmin.Found.Present) admin.read("orders")).state();
        assertThat(state.brokerNames()).containsExactly("broker-b");
        assertThat(state.readQueueNums()).isEqualTo(4);
    }

    @Test
    void aClusterWhoseBrokersHaveNotRegisteredYetIsUnverifiedNotGone() {
        assertThat(admin.read("orders"))
                .isInstanceOfSatisfying(
                        TopicAdmin.Found.Unverified.class,
                        u -> assertThat(u.why())
                                .contains("No broker of cluster DefaultCluster is registered")
                                .contains("within 30 s"));
    }

    @Test
    void aGroupWhoseMasterIsDownWhileItsSlaveRunsIsUnverifiedNotGone() {
        fake.master("broker-a", "10.0.0.1:10911");
        fake.slaveOnly("broker-b", "10.0.0.1:10811");
        assertThat(admin.read("orders"))
                .isInstanceOfSatisfying(
                        TopicAdmin.Found.Unverified.class,
                        u -> assertThat(u.why()).contains("the master of broker-b is not registered"));
    }

    @Test
    void aMasterThatDoesNotAnswerMakesAMissingTopicUnverifiedButAFoundOnePresent() {
        fake.master("broker-a", "10.0.0.1:10911");
        fake.master("broker-b", "10.0.0.2:10911");
        fake.down.add("10.0.0.2:10911");
        fake.topic("10.0.0.1:10911", "payments");
        assertThat(admin.read("orders"))
                .isInstanceOfSatisfying(
                        TopicAdmin.Found.Unverified.class,
                        u -> assertThat(u.why()).contains("10.0.0.2:10911"));
        assertThat(admin.read("payments")).isInstanceOf(TopicAdmin.Found.Present.class);
    }

    @Test
    void aNameServerThatIsDownOrJustRestartedIsOutvotedByTheOthers() {
        fake.master("broker-a", "10.0.0.1:10911");
        fake.topic("10.0.0.1:10911", "orders");
        fake.nameServerFailuresLeft = 1;
        assertThat(admin.read("orders")).isInstanceOf(TopicAdmin.Found.Present.class);
        assertThat(fake.clusterReads.get()).as("each name server asked once").isEqualTo(2);
    }

    @Test
    void whenNoNameServerAnswersTheErrorNamesThemAll() {
        fake.nameServerFailuresLeft = 10;
        assertThatThrownBy(() -> admin.read("orders"))
                .isInstanceOf(OperatorException.class)
                .hasMessageContaining("10.0.0.1:9876;10.0.0.2:9876")
                .hasMessageContaining("The state was left unchanged");
    }

    @Test
    void aRefreshOfManyTopicsReadsEachMastersTableOnce() {
        fake.master("broker-a", "10.0.0.1:10911");
        fake.master("broker-b", "10.0.0.2:10911");
        for (int i = 0; i < 100; i++) {
            fake.topic("10.0.0.1:10911", "t" + i);
            fake.topic("10.0.0.2:10911", "t" + i);
        }
        for (int i = 0; i < 100; i++) {
            assertThat(admin.read("t" + i)).isInstanceOf(TopicAdmin.Found.Present.class);
        }
        assertThat(fake.tableReads.get()).isEqualTo(2);
    }
}
