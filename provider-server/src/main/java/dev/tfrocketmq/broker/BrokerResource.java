package dev.tfrocketmq.broker;

import dev.tfrocketmq.admin.AdminErrors;
import dev.tfrocketmq.component.ComponentSchema;
import dev.tfrocketmq.component.KnownKeys;
import dev.tfrocketmq.component.ProcessResource;
import dev.tfrocketmq.component.PropertiesText;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.framework.resource.PlanResponse;
import dev.tfrocketmq.framework.resource.Requests;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.schema.Validators;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import dev.tfrocketmq.host.Host;
import dev.tfrocketmq.provider.ProviderContext;
import dev.tfrocketmq.provider.RocketMqNames;
import dev.tfrocketmq.provider.SshBlock;
import dev.tfrocketmq.runtime.Ports;
import dev.tfrocketmq.runtime.ProcessControl;
import dev.tfrocketmq.runtime.ProcessStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/** {@code rocketmq_broker}: one broker process (master or slave) on a host. */
public final class BrokerResource extends ProcessResource {
    static final String ASYNC_MASTER = "ASYNC_MASTER";
    static final String SYNC_MASTER = "SYNC_MASTER";
    static final String SLAVE = "SLAVE";

    /** Typed attributes and the broker.conf keys they render to. */
    static final Map<String, String> CONF_KEYS = new LinkedHashMap<>();

    static {
        CONF_KEYS.put("cluster_name", "brokerClusterName");
        CONF_KEYS.put("broker_name", "brokerName");
        CONF_KEYS.put("broker_id", "brokerId");
        CONF_KEYS.put("broker_role", "brokerRole");
        CONF_KEYS.put("flush_disk_type", "flushDiskType");
        CONF_KEYS.put("name_servers", "namesrvAddr");
        CONF_KEYS.put("listen_port", "listenPort");
        CONF_KEYS.put("broker_ip1", "brokerIP1");
        CONF_KEYS.put("store_path_root_dir", "storePathRootDir");
        CONF_KEYS.put("store_path_commit_log", "storePathCommitLog");
        CONF_KEYS.put("delete_when", "deleteWhen");
        CONF_KEYS.put("file_reserved_time", "fileReservedTime");
        CONF_KEYS.put("auto_create_topic_enable", "autoCreateTopicEnable");
    }

    private static final Schema SCHEMA;

    static {
        List<Attribute> a = new ArrayList<>(ComponentSchema.common("broker", "512m"));
        a.add(Attribute.string("cluster_name")
                .defaultValue(Value.string("DefaultCluster"))
                .requiresReplace()
                .validate(RocketMqNames.clusterOrBroker())
                .description("`brokerClusterName`. Changing it replaces the broker.")
                .build());
        a.add(Attribute.string("broker_name")
                .required()
                .requiresReplace()
                .validate(RocketMqNames.clusterOrBroker())
                .description(
                        "`brokerName`: the broker group a master and its slaves share. Changing it replaces the broker.")
                .build());
        a.add(Attribute.number("broker_id")
                .defaultValue(Value.number(0))
                .requiresReplace()
                .validate(Validators.integerBetween(0, 1_000_000))
                .description("`brokerId`: 0 for the master, 1 or more for slaves. Changing it replaces the broker.")
                .build());
        a.add(Attribute.string("broker_role")
                .optional()
                .computed()
                .validate(Validators.oneOf(ASYNC_MASTER, SYNC_MASTER, SLAVE))
                .description(
                        "`brokerRole`: ASYNC_MASTER, SYNC_MASTER or SLAVE. Defaults to ASYNC_MASTER for broker_id 0 "
                                + "and SLAVE otherwise; must be SLAVE exactly when broker_id is not 0.")
                .build());
        a.add(Attribute.string("flush_disk_type")
                .defaultValue(Value.string("ASYNC_FLUSH"))
                .validate(Validators.oneOf("ASYNC_FLUSH", "SYNC_FLUSH"))
                .description("`flushDiskType`.")
                .build());
        a.add(Attribute.of("name_servers", TfType.list(TfType.STRING))
                .required()
                .validate(Validators.eachElement(Validators.hostPort()))
                .validate(
                        Validators.simple("a non-empty list", v -> !v.elements().isEmpty()))
                .description("Name servers (`host:port`) the broker registers with; rendered as `namesrvAddr=a;b`.")
                .build());
        a.add(Attribute.number("listen_port")
                .defaultValue(Value.number(10911))
                .requiresReplace()
                .validate(Validators.integerBetween(3, 65534))
                .description(
                        "`listenPort`. The broker also binds listen_port-2 (fast channel) and listen_port+1 (HA), so leave "
                                + "4 ports between brokers on one host. Changing it replaces the broker.")
                .build());
        a.add(Attribute.string("broker_ip1")
                .optional()
                .computed()
                .validate(Validators.matches("[A-Za-z0-9.:-]+", "an IP address or host name"))
                .description("`brokerIP1`: the address the broker registers. Defaults to the host's "
                        + "address (127.0.0.1 locally), never an auto-detected one.")
                .build());
        a.add(Attribute.string("store_path_root_dir")
                .optional()
                .computed()
                .validate(Validators.absolutePath())
                .description("`storePathRootDir`. Defaults to `<home_dir>/store`.")
                .build());
        a.add(Attribute.string("store_path_commit_log")
                .optional()
                .computed()
                .validate(Validators.absolutePath())
                .description("`storePathCommitLog`. Defaults to `<store_path_root_dir>/commitlog`.")
                .build());
        a.add(Attribute.string("delete_when")
                .optional()
                .validate(Validators.matches(
                        "[0-9]{2}(;[0-9]{2})*", "hours of the day as two digits, e.g. \"04\" or \"04;16\""))
                .description("`deleteWhen`: hour(s) at which expired commit log files are deleted.")
                .build());
        a.add(Attribute.number("file_reserved_time")
                .optional()
                .validate(Validators.integerBetween(1, 87_600))
                .description("`fileReservedTime`: hours to keep commit log files.")
                .build());
        a.add(Attribute.bool("auto_create_topic_enable")
                .optional()
                .description("`autoCreateTopicEnable`.")
                .build());
        SCHEMA = Schema.of(new Block(
                a,
                List.of(SshBlock.nested(
                        "SSH settings for `host`, overriding the provider's `ssh` block attribute by attribute.")),
                "A RocketMQ broker process (master or slave) on a host. Ready means registered in every listed name "
                        + "server with the expected address.",
                false));
    }

    public BrokerResource(ProviderContext context) {
        super(context, "broker");
    }

    @Override
    public String typeName() {
        return "rocketmq_broker";
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public void validate(Requests.Validate request, Diagnostics diagnostics) {
        super.validate(request, diagnostics);
        Value config = request.config();
        Value id = config.attribute("broker_id");
        Value role = config.attribute("broker_role");
        if (id.isKnown() && role.isKnown() && !role.isNull()) {
            boolean master = id.isNull() || id.asNumber().signum() == 0;
            boolean slaveRole = SLAVE.equals(role.asString());
            if (master && slaveRole) {
                diagnostics.attributeError(
                        ValuePath.root().attribute("broker_role"),
                        "broker_role does not match broker_id",
                        "broker_id 0 is the master of its group, but broker_role is SLAVE. Set broker_role to "
                                + "ASYNC_MASTER or SYNC_MASTER, or give the slave a broker_id of 1 or more.");
            } else if (!master && !slaveRole) {
                diagnostics.attributeError(
                        ValuePath.root().attribute("broker_role"),
                        "broker_role does not match broker_id",
                        "broker_id " + id.asNumber().toPlainString() + " is a slave, but broker_role is "
                                + role.asString() + ". Set broker_role to SLAVE, or set broker_id to 0 for a master.");
            }
        }
        Value props = config.attribute("properties");
        if (props.isKnown() && !props.isNull()) {
            for (String key : props.entries().keySet()) {
                CONF_KEYS.forEach((attribute, confKey) -> {
                    if (confKey.equalsIgnoreCase(key)) {
                        diagnostics.attributeError(
                                ValuePath.root().attribute("properties").key(key),
                                "Use the " + attribute + " attribute",
                                "The broker.conf key " + key
                                        + " has its own attribute; set " + attribute + " instead of properties[\"" + key
                                        + "\"].");
                    }
                });
            }
        }
    }

    @Override
    protected KnownKeys knownKeys() {
        return KnownKeys.BROKER;
    }

    @Override
    protected List<String> restartAttributes() {
        List<String> names =
                new ArrayList<>(List.of("distribution_sha256", "java_home", "jvm_heap", "jvm_options", "properties"));
        names.addAll(CONF_KEYS.keySet());
        return names;
    }

    @Override
    protected void planDerived(Value config, PlanResponse response, String hostAddress) {
        Value id = response.attribute("broker_id");
        if (config.attribute("broker_role").isNull() && id.isKnown()) {
            response.setAttribute("broker_role", Value.string(id.asNumber().signum() == 0 ? ASYNC_MASTER : SLAVE));
        }
        if (config.attribute("broker_ip1").isNull() && hostAddress != null) {
            response.setAttribute("broker_ip1", Value.string(hostAddress));
        }
        Value home = response.attribute("home_dir");
        if (config.attribute("store_path_root_dir").isNull() && home.isKnown() && !home.isNull()) {
            response.setAttribute("store_path_root_dir", Value.string(home.asString() + "/store"));
        }
        Value root = response.attribute("store_path_root_dir");
        if (config.attribute("store_path_commit_log").isNull() && root.isKnown() && !root.isNull()) {
            response.setAttribute("store_path_commit_log", Value.string(root.asString() + "/commitlog"));
        }
    }

    @Override
    protected List<Integer> ports(Value planned) {
        int port = port(planned);
        return List.of(port - 2, port, port + 1);
    }

    @Override
    protected String address(Value planned, String hostAddress) {
        Value ip = planned.attribute("broker_ip1");
        int port = port(planned);
        return ip.isKnown() && !ip.isNull() && port > 0 ? ip.asString() + ":" + port : null;
    }

    @Override
    protected Map<String, byte[]> configFiles(Value planned, String homeDir) {
        Map<String, String> conf = new LinkedHashMap<>();
        CONF_KEYS.forEach((attribute, key) -> {
            Value v = planned.attribute(attribute);
            if (v.isNull()) {
                return;
            }
            String text;
            if (v.type().equals(TfType.NUMBER)) {
                text = v.asNumber().toPlainString();
            } else if (v.type().equals(TfType.BOOL)) {
                text = String.valueOf(v.asBool());
            } else if (attribute.equals("name_servers")) {
                text = String.join(
                        ";", v.elements().stream().map(Value::asString).toList());
            } else {
                text = v.asString();
            }
            conf.put(key, text);
        });
        Value extra = planned.attribute("properties");
        Map<String, String> extras = new LinkedHashMap<>();
        if (!extra.isNull()) {
            extra.entries().forEach((k, v) -> extras.put(k, v.asString()));
        }
        // The HA address a slave uses; default it to brokerIP1 rather than an auto-detected interface.
        if (!extras.containsKey("brokerIP2")) {
            conf.put("brokerIP2", planned.attribute("broker_ip1").asString());
        }
        conf.putAll(extras);
        return Map.of("broker.conf", PropertiesText.render(conf));
    }

    @Override
    protected List<String> mainAndArgs(Value planned, String homeDir) {
        return List.of("org.apache.rocketmq.broker.BrokerStartup", "-c", homeDir + "/run/broker.conf");
    }

    @Override
    protected String logbackConfig() {
        return "rmq.broker.logback.xml";
    }

    @Override
    protected Duration gracefulStop() {
        return Duration.ofSeconds(60);
    }

    @Override
    protected List<String> dataDirectories(Value state) {
        List<String> dirs = new ArrayList<>();
        for (String name : List.of("store_path_commit_log", "store_path_root_dir")) {
            Value v = state.attribute(name);
            if (!v.isNull()) {
                dirs.add(v.asString());
            }
        }
        return dirs;
    }

    @Override
    protected void awaitReady(
            Value planned, Host host, ProcessControl control, String homeDir, Cancellation cancellation) {
        int port = port(planned);
        String ip = planned.attribute("broker_ip1").asString();
        String address = ip + ":" + port;
        String brokerName = planned.attribute("broker_name").asString();
        long brokerId = planned.attribute("broker_id").asLong();
        List<String> nameServers = planned.attribute("name_servers").elements().stream()
                .map(Value::asString)
                .toList();
        try {
            Ports.awaitListening(
                    ip,
                    port,
                    Duration.ofSeconds(90),
                    () -> control.status(homeDir) instanceof ProcessStatus.Running && !cancellation.isCancelled());
        } catch (RuntimeException e) {
            throw new OperatorException(
                    "Broker did not start",
                    "On " + host.name() + ", broker " + brokerName + " (" + homeDir + ") did not listen on " + address
                            + " within 90 s (" + e.getMessage() + "). Check that ports " + (port - 2) + "-" + (port + 1)
                            + " are free. Last lines of its console log:\n" + control.logTail(homeDir, 30),
                    e);
        }
        kick(planned, address, nameServers);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> missing = nameServers;
        String lastError = "";
        while (true) {
            List<String> stillMissing = new ArrayList<>();
            for (String ns : missing) {
                try {
                    if (!registered(context.admin().forNameServers(List.of(ns)), brokerName, brokerId, address)) {
                        stillMissing.add(ns);
                    }
                } catch (Exception e) {
                    lastError = ns + ": " + AdminErrors.describe(e);
                    stillMissing.add(ns);
                }
            }
            missing = stillMissing;
            if (missing.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline || cancellation.sleep(Duration.ofMillis(200))) {
                throw new OperatorException(
                        "Broker did not register with its name servers",
                        "Broker " + brokerName + " (id " + brokerId + ") listens on " + address
                                + " but is not registered with that address in " + String.join(", ", missing)
                                + " after 60 s" + (lastError.isEmpty() ? "" : " (last error: " + lastError + ")")
                                + ". Check that the name servers run and are reachable from the broker host, and that "
                                + "broker_ip1 is an address clients can reach. Last lines of its console log:\n"
                                + control.logTail(homeDir, 30));
            }
        }
    }

    /** RocketMQ 5 may skip its first registration; a config update makes the broker register at once. */
    private void kick(Value planned, String address, List<String> nameServers) {
        Value props = planned.attribute("properties");
        String permission = "6";
        if (!props.isNull() && props.entries().containsKey("brokerPermission")) {
            permission = props.entries().get("brokerPermission").asString();
        }
        Properties update = new Properties();
        update.setProperty("brokerPermission", permission);
        try {
            context.admin().forNameServers(nameServers).updateBrokerConfig(address, update);
        } catch (Exception e) {
            // Registration is still checked below; the periodic registration covers a failed kick.
        }
    }

    private static boolean registered(DefaultMQAdminExt admin, String brokerName, long brokerId, String address)
            throws Exception {
        ClusterInfo info = admin.examineBrokerClusterInfo();
        BrokerData data = info.getBrokerAddrTable() == null
                ? null
                : info.getBrokerAddrTable().get(brokerName);
        return data != null && address.equals(data.getBrokerAddrs().get(brokerId));
    }
}
