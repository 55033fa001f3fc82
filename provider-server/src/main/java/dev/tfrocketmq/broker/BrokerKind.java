package dev.tfrocketmq.broker;

import dev.tfrocketmq.context.RocketMqNames;
import dev.tfrocketmq.context.SshBlock;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.schema.Validators;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.process.AuthSettings;
import dev.tfrocketmq.process.KnownKeys;
import dev.tfrocketmq.process.ProcessKind;
import dev.tfrocketmq.process.ProcessSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code rocketmq_broker}: one broker process (master or slave) on a host. */
public final class BrokerKind {
    private static final String CONFIG_FILE = "broker.conf";

    private static final Schema SCHEMA;

    static {
        List<Attribute> a =
                new ArrayList<>(ProcessSchema.common("broker", CONFIG_FILE, "512m", "directory and message store"));
        a.add(Attribute.string("cluster_name")
                .defaultValue(Value.string(RocketMqNames.DEFAULT_CLUSTER))
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
                .validate(Validators.oneOf(BrokerRoles.ASYNC_MASTER, BrokerRoles.SYNC_MASTER, BrokerRoles.SLAVE))
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
        a.add(Attribute.string("broker_ip2")
                .optional()
                .computed()
                .validate(Validators.matches("[A-Za-z0-9.:-]+", "an IP address or host name"))
                .description("`brokerIP2`: the address a master gives its slaves to replicate from (HA). Defaults "
                        + "to `broker_ip1` rather than RocketMQ's auto-detected interface.")
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
                .description("`deleteWhen`: hour(s) at which expired commit log files are deleted. Applied to the "
                        + "running broker without a restart.")
                .build());
        a.add(Attribute.number("file_reserved_time")
                .optional()
                .validate(Validators.integerBetween(1, 87_600))
                .description("`fileReservedTime`: hours to keep commit log files. Applied to the running broker "
                        + "without a restart.")
                .build());
        a.add(Attribute.bool("auto_create_topic_enable")
                .optional()
                .description("`autoCreateTopicEnable`.")
                .build());
        a.addAll(AuthSettings.attributes("broker"));
        SCHEMA = Schema.of(new Block(
                a,
                List.of(SshBlock.inResource(
                        "SSH settings for `host`, overriding the provider's `ssh` block attribute by attribute.")),
                "A RocketMQ broker process (master or slave) on a host. Ready means registered in every listed name "
                        + "server with the expected address.",
                false));
    }

    private static final BrokerRoles ROLES = new BrokerRoles();
    private static final BrokerConf CONF = new BrokerConf();
    private static final BrokerEndpoints ENDPOINTS = new BrokerEndpoints();
    private static final StorePaths STORE = new StorePaths();

    private static final AuthSettings AUTH = AuthSettings.broker(planned -> planned.attribute("broker_ip1")
                    .asString() + ":" + planned.attribute("listen_port").asInt());

    public static final ProcessKind KIND = new ProcessKind(
            "broker",
            "rocketmq_broker",
            SCHEMA,
            KnownKeys::broker,
            new ProcessKind.JvmMain("org.apache.rocketmq.broker.BrokerStartup", CONFIG_FILE, "broker"),
            Duration.ofSeconds(60),
            List.of(AuthSettings.AUTHENTICATION, AuthSettings.AUTHORIZATION),
            CONF,
            ENDPOINTS,
            new BrokerRegistration(),
            List.of(ROLES, ENDPOINTS, STORE),
            List.of(ROLES, CONF, AUTH),
            STORE,
            new BrokerLiveConfig(),
            new BrokerMembership(),
            new BrokerStopping(),
            AUTH,
            AuthSettings::requirement);

    private BrokerKind() {}

    /** The name servers a broker's values list. */
    static List<String> nameServers(Value values) {
        return values.attribute("name_servers").elements().stream()
                .map(Value::asString)
                .toList();
    }
}
