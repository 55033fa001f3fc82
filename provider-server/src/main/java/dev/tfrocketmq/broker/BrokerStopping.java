package dev.tfrocketmq.broker;

import dev.tfrocketmq.admin.AdminErrors;
import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.process.ProcessKind;
import dev.tfrocketmq.process.StartedProcess;
import dev.tfrocketmq.runtime.RocketMqVersion;
import dev.tfrocketmq.runtime.StopMarkers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Around a broker's stop in a restart. A master first stops taking writes when another master of its cluster is
 * registered (its write permission is cleared live, so producers get NO_PERMISSION and resend to another broker at
 * once), then waits until each slave of its group has replicated everything it holds (HA offsets: the slave's commit
 * log reaches the master's), so the slave can serve every acknowledged message while the master is down. The
 * restarted master reads its permission from its config file again.
 *
 * <p>The stop itself may end once the broker's shutdown has written everything: the store closed cleanly (its
 * {@code abort} file removed) and the consumer offsets written. 4.9.7 and 5.3.3 close the store first and write the
 * offsets after it ({@code config/consumerOffset.json} rewritten after the {@code abort} file went); from 5.5.0 the
 * broker writes its configs and offsets first and closes the store last. What follows in either is waiting for
 * threads.
 */
final class BrokerStopping implements ProcessKind.Stopping {
    private static final Log LOG = Log.named("restart");
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int PERM_WRITE = 2;

    /** From this version the broker closes its store as the last step of its shutdown. */
    private static final RocketMqVersion STORE_CLOSES_LAST = new RocketMqVersion(5, 5, 0, "");

    @Override
    public StopMarkers markers(Value state) {
        Value root = state.attribute("store_path_root_dir");
        if (!root.isKnown() || root.isNull()) {
            return StopMarkers.NONE;
        }
        String dir = root.asString();
        Value version = state.attribute("rocketmq_version");
        boolean storeLast = version.isKnown()
                && !version.isNull()
                && RocketMqVersion.parse(version.asString())
                        .map(v -> v.compareTo(STORE_CLOSES_LAST) >= 0)
                        .orElse(false);
        return storeLast
                ? StopMarkers.of(List.of(dir + "/abort"), List.of())
                : StopMarkers.of(List.of(dir + "/abort"), List.of(dir + "/config/consumerOffset.json"));
    }

    @Override
    public Runnable beforeStop(StartedProcess process, Cancellation cancellation) {
        Value state = process.planned();
        if (state.attribute("broker_id").asLong() != 0) {
            return () -> {};
        }
        String address = state.attribute("broker_ip1").asString() + ":" + process.port();
        String cluster = state.attribute("cluster_name").asString();
        String group = state.attribute("broker_name").asString();
        DefaultMQAdminExt admin;
        ClusterInfo info;
        try {
            admin = process.admin().forNameServers(BrokerKind.nameServers(state));
            info = admin.examineBrokerClusterInfo();
        } catch (Exception e) {
            LOG.warn(
                    "cannot see the cluster before the master's stop",
                    "address",
                    address,
                    "error",
                    AdminErrors.describe(e));
            return () -> {};
        }
        Runnable undo = () -> {};
        if (!otherMasters(info, cluster, group).isEmpty()) {
            undo = withoutWrites(admin, address);
        }
        awaitSlaves(admin, info, group, address, cancellation);
        return undo;
    }

    /** Clears the master's write permission; returns what sets it back. */
    private static Runnable withoutWrites(DefaultMQAdminExt admin, String address) {
        try {
            Properties current = admin.getBrokerConfig(address);
            int permission = Integer.parseInt(
                    current.getProperty("brokerPermission", "6").strip());
            if ((permission & PERM_WRITE) == 0) {
                return () -> {};
            }
            admin.updateBrokerConfig(address, permission(permission & ~PERM_WRITE));
            LOG.info("master takes no more writes before its stop", "address", address);
            return () -> {
                try {
                    admin.updateBrokerConfig(address, permission(permission));
                } catch (Exception e) {
                    LOG.warn(
                            "cannot give the master its write permission back",
                            "address",
                            address,
                            "error",
                            AdminErrors.describe(e));
                }
            };
        } catch (Exception e) {
            LOG.warn(
                    "cannot take writes away from the master before its stop",
                    "address",
                    address,
                    "error",
                    AdminErrors.describe(e));
            return () -> {};
        }
    }

    private static Properties permission(int value) {
        Properties p = new Properties();
        p.setProperty("brokerPermission", Integer.toString(value));
        return p;
    }

    /** Waits (up to a minute) until every registered slave of the group has the master's commit log. */
    private static void awaitSlaves(
            DefaultMQAdminExt admin, ClusterInfo info, String group, String master, Cancellation cancellation) {
        BrokerData data = info.getBrokerAddrTable() == null
                ? null
                : info.getBrokerAddrTable().get(group);
        List<String> slaves = new ArrayList<>();
        if (data != null && data.getBrokerAddrs() != null) {
            data.getBrokerAddrs().forEach((id, addr) -> {
                if (id != 0) {
                    slaves.add(addr);
                }
            });
        }
        if (slaves.isEmpty()) {
            LOG.info("no slave registered to catch up before the master's stop", "address", master);
            return;
        }
        long started = System.nanoTime();
        long deadline = started + CATCH_UP.toNanos();
        try {
            long target = maxOffset(admin, master);
            for (String slave : slaves) {
                while (true) {
                    long offset = maxOffset(admin, slave);
                    if (offset >= target) {
                        break;
                    }
                    if (System.nanoTime() > deadline || cancellation.sleep(POLL)) {
                        LOG.warn(
                                "slave has not caught up; stopping the master anyway",
                                "master",
                                master,
                                "slave",
                                slave,
                                "slave_offset",
                                offset,
                                "master_offset",
                                target);
                        return;
                    }
                }
            }
            LOG.info(
                    "slaves caught up before the master's stop",
                    "master",
                    master,
                    "slaves",
                    String.join(",", slaves),
                    "offset",
                    target,
                    "millis",
                    (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            LOG.warn(
                    "cannot compare HA offsets before the master's stop",
                    "master",
                    master,
                    "error",
                    AdminErrors.describe(e));
        }
    }

    private static long maxOffset(DefaultMQAdminExt admin, String address) throws Exception {
        Map<String, String> table = admin.fetchBrokerRuntimeStats(address).getTable();
        return Long.parseLong(table.getOrDefault("commitLogMaxOffset", "0").strip());
    }

    private static List<String> otherMasters(ClusterInfo info, String cluster, String group) {
        List<String> masters = new ArrayList<>();
        if (info.getClusterAddrTable() == null || info.getBrokerAddrTable() == null) {
            return masters;
        }
        for (String name : info.getClusterAddrTable().getOrDefault(cluster, java.util.Set.of())) {
            BrokerData data = info.getBrokerAddrTable().get(name);
            if (!name.equals(group) && data != null && data.getBrokerAddrs() != null) {
                String addr = data.getBrokerAddrs().get(0L);
                if (addr != null) {
                    masters.add(addr);
                }
            }
        }
        return masters;
    }
}
