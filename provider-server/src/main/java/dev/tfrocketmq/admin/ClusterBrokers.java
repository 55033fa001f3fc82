package dev.tfrocketmq.admin;

import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.runtime.RocketMqVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * The brokers of one cluster as its name servers list them: masters by broker name, and every broker (masters and
 * slaves) by address. Every failure names the name servers and says the state was left alone; a cluster the name
 * servers do not know is an error, never "nothing there".
 */
public final class ClusterBrokers {
    private final DefaultMQAdminExt admin;
    private final List<String> nameServers;
    private final String cluster;

    public ClusterBrokers(DefaultMQAdminExt admin, List<String> nameServers, String cluster) {
        this.admin = admin;
        this.nameServers = List.copyOf(nameServers);
        this.cluster = cluster;
    }

    public String cluster() {
        return cluster;
    }

    public List<String> nameServers() {
        return nameServers;
    }

    /** Broker name to master address, sorted by broker name. */
    public Map<String, String> masters() {
        Map<String, String> masters = new TreeMap<>();
        brokerData().forEach((name, data) -> {
            String master = data.getBrokerAddrs().get(0L);
            if (master != null) {
                masters.put(name, master);
            }
        });
        if (masters.isEmpty()) {
            throw new OperatorException(
                    "Cluster " + cluster + " has no master",
                    "Brokers of cluster " + cluster + " are registered in " + String.join(";", nameServers)
                            + " but none is a master (broker_id 0). Start a master first.");
        }
        return masters;
    }

    /** Every broker of the cluster, masters and slaves: address to a label such as {@code broker-a (id 1)}. */
    public Map<String, String> all() {
        Map<String, String> all = new TreeMap<>();
        brokerData()
                .forEach((name, data) ->
                        data.getBrokerAddrs().forEach((id, addr) -> all.put(addr, name + " (id " + id + ")")));
        return all;
    }

    /** The version a broker reports, or empty when it reports none that parses. */
    public Optional<RocketMqVersion> version(String address) {
        try {
            return BrokerVersion.of(admin, address);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw failure("read the version of broker " + address, e);
        }
    }

    private Map<String, BrokerData> brokerData() {
        ClusterInfo info;
        try {
            info = admin.examineBrokerClusterInfo();
        } catch (Exception e) {
            throw failure("read the cluster", e);
        }
        Set<String> names = info.getClusterAddrTable() == null
                ? null
                : info.getClusterAddrTable().get(cluster);
        if (names == null || names.isEmpty()) {
            throw new OperatorException(
                    "Cluster " + cluster + " not found",
                    "No broker of cluster " + cluster + " is registered in name servers "
                            + String.join(";", nameServers) + ". Registered clusters: "
                            + (info.getClusterAddrTable() == null
                                    ? "none"
                                    : info.getClusterAddrTable().keySet())
                            + ". Check cluster_name and name_servers.");
        }
        Map<String, BrokerData> out = new TreeMap<>();
        for (String name : names) {
            BrokerData data = info.getBrokerAddrTable().get(name);
            if (data != null && data.getBrokerAddrs() != null) {
                out.put(name, data);
            }
        }
        return out;
    }

    /** An error naming the name servers, the cluster and what to check; the state is left unchanged. */
    public OperatorException failure(String what, Exception e) {
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
