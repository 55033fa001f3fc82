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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Around a broker's stop in a restart, so that its group keeps serving and the cluster keeps acknowledging writes.
 *
 * <ul>
 *   <li>While a broker of a group is down, that group's master takes no new writes, if another master of the
 *       cluster is registered to take them: its write permission is cleared live, it registers again with it, and
 *       the name servers list its queues read-only, so producers send elsewhere from their next route refresh (a
 *       SYNC_MASTER without its slave could only answer SLAVE_NOT_AVAILABLE). It gets the permission back once the
 *       group is whole again; a restarted master reads it from its config file.
 *   <li>Before a master stops, its slaves have replicated its whole commit log (HA offsets), so they can serve every
 *       acknowledged message while it is down; after any restart, the turn ends only once the group's slaves have
 *       caught up again.
 * </ul>
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
    /**
     * How long clients may keep a route they fetched: RocketMQ clients ask the name servers every 30 s
     * ({@code pollNameServerInterval}), so a master given its writes back is written to by all of them only that long
     * after. Until then, taking the writes of another master away (or stopping it) would leave those clients without a
     * master they believe writable.
     */
    static final Duration CLIENT_ROUTE_REFRESH = Duration.ofSeconds(30);

    /** When this backend last gave each master its writes back (address to System.nanoTime()). */
    private static final Map<String, Long> WRITABLE_SINCE = new ConcurrentHashMap<>();

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
    public ProcessKind.Restart beforeStop(StartedProcess running, Cancellation cancellation) {
        Value state = running.planned();
        String address = state.attribute("broker_ip1").asString() + ":" + running.port();
        String cluster = state.attribute("cluster_name").asString();
        String group = state.attribute("broker_name").asString();
        boolean master = state.attribute("broker_id").asLong() == 0;
        DefaultMQAdminExt admin;
        ClusterInfo info;
        try {
            admin = running.admin().forNameServers(BrokerKind.nameServers(state));
            info = admin.examineBrokerClusterInfo();
        } catch (Exception e) {
            LOG.warn(
                    "cannot see the cluster before the broker's stop",
                    "address",
                    address,
                    "error",
                    AdminErrors.describe(e));
            return ProcessKind.Restart.NOTHING;
        }
        String groupMaster = master ? address : members(info, group).get(0L);
        List<String> others = otherMasters(info, cluster, group);
        if (groupMaster != null && !others.isEmpty()) {
            // the other masters take the writes next: clients must know them writable first
            awaitClientsSeeWritable(others, cancellation);
        }
        Runnable giveBack = () -> {};
        if (groupMaster != null && !others.isEmpty()) {
            // a master without its slave still acknowledges writes, unless it waits for the slave (SYNC_MASTER)
            giveBack = withoutWrites(admin, groupMaster, !master);
        }
        if (master) {
            awaitSlaves(admin, group, address, cancellation);
        }
        Runnable restore = once(giveBack);
        return new ProcessKind.Restart() {
            @Override
            public void afterStart(StartedProcess started, Cancellation cancellation) {
                String current = master ? address : groupMaster;
                if (master) {
                    WRITABLE_SINCE.put(address, System.nanoTime()); // a restarted master takes writes from its start
                }
                if (current != null) {
                    awaitSlaves(admin, group, current, cancellation);
                }
                if (!master) {
                    restore.run();
                }
            }

            @Override
            public void undo() {
                restore.run();
            }
        };
    }

    private static Runnable once(Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                action.run();
            }
        };
    }

    /**
     * Clears the write permission of the master at {@code address} (when {@code onlyIfSync}, only of a SYNC_MASTER);
     * returns what sets it back.
     */
    private static Runnable withoutWrites(DefaultMQAdminExt admin, String address, boolean onlyIfSync) {
        try {
            Properties current = admin.getBrokerConfig(address);
            int permission = Integer.parseInt(
                    current.getProperty("brokerPermission", "6").strip());
            boolean sync =
                    "SYNC_MASTER".equals(current.getProperty("brokerRole", "").strip());
            if ((permission & PERM_WRITE) == 0 || (onlyIfSync && !sync)) {
                return () -> {};
            }
            admin.updateBrokerConfig(address, permission(permission & ~PERM_WRITE));
            LOG.info("master takes no writes while its group restarts", "master", address);
            return () -> {
                try {
                    admin.updateBrokerConfig(address, permission(permission));
                    WRITABLE_SINCE.put(address, System.nanoTime());
                    LOG.info("master takes writes again", "master", address);
                } catch (Exception e) {
                    LOG.warn(
                            "cannot give the master its write permission back",
                            "master",
                            address,
                            "error",
                            AdminErrors.describe(e));
                }
            };
        } catch (Exception e) {
            LOG.warn("cannot take writes away from the master", "master", address, "error", AdminErrors.describe(e));
            return () -> {};
        }
    }

    /**
     * Waits until every master in {@code others} that this backend gave its writes back (or restarted) has been
     * writable for {@link #CLIENT_ROUTE_REFRESH}, so that no client is left with a route in which no master takes
     * writes.
     */
    private static void awaitClientsSeeWritable(List<String> others, Cancellation cancellation) {
        for (String other : others) {
            Long since = WRITABLE_SINCE.get(other);
            if (since == null) {
                continue;
            }
            long remaining = CLIENT_ROUTE_REFRESH.toNanos() - (System.nanoTime() - since);
            if (remaining <= 0) {
                continue;
            }
            LOG.info(
                    "waiting until clients' routes show the master writable again",
                    "master",
                    other,
                    "millis",
                    remaining / 1_000_000);
            if (cancellation.sleep(Duration.ofNanos(remaining))) {
                return;
            }
        }
    }

    private static Properties permission(int value) {
        Properties p = new Properties();
        p.setProperty("brokerPermission", Integer.toString(value));
        return p;
    }

    /** Waits (up to a minute) until every registered slave of the group has the master's whole commit log. */
    private static void awaitSlaves(DefaultMQAdminExt admin, String group, String master, Cancellation cancellation) {
        long started = System.nanoTime();
        long deadline = started + CATCH_UP.toNanos();
        List<String> slaves = List.of();
        long target = -1;
        try {
            while (true) {
                slaves = slaves(members(admin.examineBrokerClusterInfo(), group));
                if (slaves.isEmpty()) {
                    return; // none registered: nothing to wait for
                }
                if (target < 0) {
                    target = maxOffset(admin, master);
                }
                boolean all = true;
                for (String slave : slaves) {
                    all &= maxOffset(admin, slave) >= target;
                }
                if (all) {
                    break;
                }
                if (System.nanoTime() > deadline || cancellation.sleep(POLL)) {
                    LOG.warn(
                            "slaves have not caught up with their master; going on",
                            "master",
                            master,
                            "slaves",
                            String.join(",", slaves),
                            "master_offset",
                            target);
                    return;
                }
            }
            LOG.info(
                    "slaves caught up with their master",
                    "master",
                    master,
                    "slaves",
                    String.join(",", slaves),
                    "offset",
                    target,
                    "millis",
                    (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            LOG.warn("cannot compare HA offsets of a group", "master", master, "error", AdminErrors.describe(e));
        }
    }

    private static Map<Long, String> members(ClusterInfo info, String group) {
        BrokerData data = info == null || info.getBrokerAddrTable() == null
                ? null
                : info.getBrokerAddrTable().get(group);
        return data == null || data.getBrokerAddrs() == null ? Map.of() : Map.copyOf(data.getBrokerAddrs());
    }

    private static List<String> slaves(Map<Long, String> members) {
        List<String> slaves = new ArrayList<>();
        members.forEach((id, addr) -> {
            if (id != 0) {
                slaves.add(addr);
            }
        });
        return slaves;
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
        for (String name : info.getClusterAddrTable().getOrDefault(cluster, Set.of())) {
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
