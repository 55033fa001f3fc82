package dev.tfrocketmq.cluster;

import dev.tfrocketmq.admin.AdminErrors;
import dev.tfrocketmq.context.ProviderContext;
import dev.tfrocketmq.context.RocketMqNames;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.resource.DataSource;
import dev.tfrocketmq.framework.resource.Requests;
import dev.tfrocketmq.framework.resource.StateResponse;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/** {@code rocketmq_cluster}: the brokers registered in the name servers, like {@code mqadmin clusterList}. */
public final class ClusterDataSource implements DataSource {
    private static final Log LOG = Log.named("cluster");
    static final TfType.ObjectType BROKER = TfType.object(Map.of(
            "cluster_name",
            TfType.STRING,
            "broker_name",
            TfType.STRING,
            "broker_id",
            TfType.NUMBER,
            "address",
            TfType.STRING,
            "version",
            TfType.STRING));

    private static final Schema SCHEMA = Schema.of(Block.of(
            "Brokers registered in the name servers, by cluster, name and id, with their addresses and versions.",
            Attribute.string("id")
                    .computed()
                    .description("The name servers queried, `;`-separated.")
                    .build(),
            RocketMqNames.nameServers()
                    .description("Name servers to ask; defaults to the provider's `name_servers`.")
                    .build(),
            Attribute.string("cluster_name")
                    .optional()
                    .description("Only brokers of this cluster. Default: every cluster.")
                    .build(),
            Attribute.of("brokers", TfType.list(BROKER))
                    .computed()
                    .description("Brokers sorted by cluster, broker name and id: `cluster_name`, `broker_name`, "
                            + "`broker_id`, `address`, `version` (empty if the broker did not answer).")
                    .build()));

    private final ProviderContext context;

    public ClusterDataSource(ProviderContext context) {
        this.context = context;
    }

    @Override
    public String typeName() {
        return "rocketmq_cluster";
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public void read(Requests.ReadData request, StateResponse response) {
        Value config = request.config();
        List<String> nameServers = context.nameServers(config.attribute("name_servers"));
        DefaultMQAdminExt admin = context.admin().forNameServers(nameServers);
        ClusterInfo info;
        try {
            info = admin.examineBrokerClusterInfo();
        } catch (Exception e) {
            throw new OperatorException(
                    "Cannot read the cluster",
                    "Name servers " + String.join(";", nameServers) + ": " + AdminErrors.describe(e)
                            + ". Check that they run and are reachable from the machine running Terraform.",
                    e);
        }
        Value filter = config.attribute("cluster_name");
        List<Value> brokers = new ArrayList<>();
        Map<String, Set<String>> clusters =
                info.getClusterAddrTable() == null ? Map.of() : new TreeMap<>(info.getClusterAddrTable());
        clusters.forEach((cluster, names) -> {
            if (!filter.isNull() && !filter.asString().equals(cluster)) {
                return;
            }
            for (String name : new TreeSet<>(names)) {
                BrokerData data = info.getBrokerAddrTable().get(name);
                if (data == null) {
                    continue;
                }
                new TreeMap<>(data.getBrokerAddrs()).forEach((id, address) -> {
                    Map<String, Value> b = new LinkedHashMap<>();
                    b.put("cluster_name", Value.string(cluster));
                    b.put("broker_name", Value.string(name));
                    b.put("broker_id", Value.number(id));
                    b.put("address", Value.string(address));
                    b.put("version", Value.string(version(admin, address)));
                    brokers.add(Value.object(BROKER, b));
                });
            }
        });
        response.setState(config.withAttribute("id", Value.string(String.join(";", nameServers)))
                .withAttribute("brokers", Value.list(BROKER, brokers)));
    }

    private static String version(DefaultMQAdminExt admin, String address) {
        try {
            String v = admin.fetchBrokerRuntimeStats(address).getTable().get("brokerVersionDesc");
            return v == null ? "" : v;
        } catch (Exception e) {
            LOG.debug("broker did not report its version", "address", address, "error", AdminErrors.describe(e));
            return "";
        }
    }
}
