package dev.tfrocketmq.nameserver;

import dev.tfrocketmq.admin.AdminErrors;
import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.process.ProcessKind;
import dev.tfrocketmq.process.StartedProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * The restart of a name server, on behalf of the brokers registered in it: it notes them before the stop, and once the
 * new process serves, asks each to register again (a config request with the permission the broker already has makes
 * it register with every name server at once) and waits until the name server lists them all, for at most a
 * registration period.
 */
final class NameServerRestart implements ProcessKind.Restart {
    private static final Log LOG = Log.named("restart");
    private static final Duration REGISTERED = Duration.ofSeconds(40);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String address;
    private final Map<String, String> brokers;

    private NameServerRestart(String address, Map<String, String> brokers) {
        this.address = address;
        this.brokers = Map.copyOf(brokers);
    }

    /** The brokers {@code running} lists now (broker name and id to address); none when it does not answer. */
    static ProcessKind.Restart noteBrokers(StartedProcess running) {
        String address = running.host().address() + ":" + running.port();
        try {
            return new NameServerRestart(
                    address, brokers(admin(running, address).examineBrokerClusterInfo()));
        } catch (Exception e) {
            LOG.warn(
                    "cannot list the brokers of a name server before its restart",
                    "address",
                    address,
                    "error",
                    AdminErrors.describe(e));
            return ProcessKind.Restart.NOTHING;
        }
    }

    private static DefaultMQAdminExt admin(StartedProcess process, String address) {
        return process.admin().forNameServers(List.of(address));
    }

    @Override
    public void afterStart(StartedProcess started, Cancellation cancellation) {
        if (brokers.isEmpty()) {
            return;
        }
        DefaultMQAdminExt admin = admin(started, address);
        for (String broker : brokers.values()) {
            try {
                Properties config = admin.getBrokerConfig(broker);
                Properties kick = new Properties();
                kick.setProperty(
                        "brokerPermission",
                        config.getProperty("brokerPermission", "6").strip());
                admin.updateBrokerConfig(broker, kick);
            } catch (Exception e) {
                LOG.warn("cannot ask a broker to register again", "broker", broker, "error", AdminErrors.describe(e));
            }
        }
        long since = System.nanoTime();
        long deadline = since + REGISTERED.toNanos();
        Map<String, String> listed = Map.of();
        while (true) {
            try {
                listed = brokers(admin.examineBrokerClusterInfo());
            } catch (Exception e) {
                // not yet: the name server was just started
            }
            if (listed.entrySet().containsAll(brokers.entrySet())) {
                LOG.info(
                        "brokers registered again with the restarted name server",
                        "address",
                        address,
                        "brokers",
                        brokers.size(),
                        "millis",
                        (System.nanoTime() - since) / 1_000_000);
                return;
            }
            if (System.nanoTime() > deadline || cancellation.sleep(POLL)) {
                LOG.warn(
                        "brokers not yet registered again with the restarted name server; their next periodic "
                                + "registration will bring them",
                        "address",
                        address,
                        "missing",
                        String.join(",", missing(listed)));
                return;
            }
        }
    }

    private List<String> missing(Map<String, String> listed) {
        return brokers.entrySet().stream()
                .filter(e -> !e.getValue().equals(listed.get(e.getKey())))
                .map(Map.Entry::getKey)
                .toList();
    }

    @Override
    public void undo() {}

    private static Map<String, String> brokers(ClusterInfo info) {
        Map<String, String> brokers = new TreeMap<>();
        if (info != null && info.getBrokerAddrTable() != null) {
            for (BrokerData data : info.getBrokerAddrTable().values()) {
                if (data.getBrokerAddrs() != null) {
                    data.getBrokerAddrs().forEach((id, addr) -> brokers.put(data.getBrokerName() + "/" + id, addr));
                }
            }
        }
        return brokers;
    }
}
