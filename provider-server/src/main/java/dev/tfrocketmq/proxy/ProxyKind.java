package dev.tfrocketmq.proxy;

import dev.tfrocketmq.context.PlannedComponents;
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
import dev.tfrocketmq.runtime.RocketMqVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code rocketmq_proxy}: one RocketMQ 5 proxy in cluster mode on a host, the gRPC endpoint RocketMQ 5 clients
 * (rocketmq-client-java 5.x and the other 5.x SDKs) connect to, in front of the brokers its name servers list.
 */
public final class ProxyKind {
    private static final String CONFIG_FILE = "rmq-proxy.json";
    private static final RocketMqVersion FIVE = new RocketMqVersion(5, 0, 0, "");
    private static final Schema SCHEMA;

    static {
        List<Attribute> a = new ArrayList<>(ProcessSchema.common("proxy", CONFIG_FILE, "256m", "directory"));
        a.add(Attribute.string("cluster_name")
                .defaultValue(Value.string(RocketMqNames.DEFAULT_CLUSTER))
                .validate(RocketMqNames.clusterOrBroker())
                .description("`rocketMQClusterName`: the cluster whose brokers the proxy serves. Changing it restarts "
                        + "the proxy.")
                .build());
        a.add(Attribute.of("name_servers", TfType.list(TfType.STRING))
                .required()
                .validate(Validators.eachElement(Validators.hostPort()))
                .validate(
                        Validators.simple("a non-empty list", v -> !v.elements().isEmpty()))
                .description("Name servers (`host:port`) the proxy finds the brokers through; rendered as "
                        + "`namesrvAddr=a;b`. Changing them restarts the proxy.")
                .build());
        a.add(Attribute.number("listen_port")
                .defaultValue(Value.number(8081))
                .requiresReplace()
                .validate(Validators.integerBetween(1, 65535))
                .description("`grpcServerPort`: the gRPC port RocketMQ 5 clients connect to (their endpoint is "
                        + "`address`). Changing it replaces the proxy.")
                .build());
        a.add(Attribute.number("remoting_port")
                .defaultValue(Value.number(8080))
                .validate(Validators.integerBetween(1, 65535))
                .description(
                        "`remotingListenPort`: the port the proxy serves RocketMQ's remoting protocol on (4.x-style "
                                + "clients). Changing it restarts the proxy.")
                .build());
        a.addAll(AuthSettings.attributes("proxy"));
        SCHEMA = Schema.of(new Block(
                a,
                List.of(SshBlock.inResource(
                        "SSH settings for `host`, overriding the provider's `ssh` block attribute by attribute.")),
                "A RocketMQ 5 proxy in cluster mode on a host: the gRPC endpoint of RocketMQ 5 clients. Ready means "
                        + "it answers a RocketMQ 5 client call after asking its name servers. Needs a RocketMQ 5 "
                        + "distribution that includes rocketmq-proxy (the project's archives do). With authentication "
                        + "on, use 5.5.0 or newer: the 5.3.3 proxy lets 5.x producers send but answers 5.x consumers' "
                        + "receive calls with no message.",
                false));
    }

    private static final ProcessKind.Endpoints ENDPOINTS = new ProcessKind.Endpoints() {
        @Override
        public List<ProcessKind.Port> ports(Value planned) {
            return List.of(
                    new ProcessKind.Port(planned.attribute("listen_port").asInt(), "listen_port"),
                    new ProcessKind.Port(planned.attribute("remoting_port").asInt(), "remoting_port"));
        }

        @Override
        public String address(Value planned, String hostAddress) {
            return hostAddress + ":" + planned.attribute("listen_port").asInt();
        }
    };

    private static final AuthSettings AUTH = AuthSettings.proxy();

    /** Proxies hold no state and serve side by side: they restart without waiting for one another. */
    private static final ProcessKind.Membership MEMBERSHIP = new ProcessKind.Membership() {
        @Override
        public Optional<PlannedComponents.Group> group(Value planned) {
            return Optional.empty();
        }

        @Override
        public String describe(Value planned) {
            Value port = planned.attribute("listen_port");
            return "rocketmq_proxy (listen_port "
                    + (port.isKnown() && !port.isNull() ? port.asNumber().toPlainString() : "(known after apply)")
                    + ")";
        }
    };

    public static final ProcessKind KIND = new ProcessKind(
            "proxy",
            "rocketmq_proxy",
            SCHEMA,
            version -> Optional.of(KnownKeys.none()),
            new ProcessKind.JvmMain("org.apache.rocketmq.proxy.ProxyStartup", CONFIG_FILE, "proxy", "-pc"),
            Duration.ofSeconds(30),
            List.of(
                    "cluster_name",
                    "name_servers",
                    "listen_port",
                    "remoting_port",
                    AuthSettings.AUTHENTICATION,
                    AuthSettings.AUTHORIZATION),
            new ProxyConfigFile(),
            ENDPOINTS,
            new ProxyReadiness(),
            List.of(),
            List.of(AUTH),
            ProcessKind.DataDirectories.NONE,
            ProcessKind.LiveConfig.NONE,
            MEMBERSHIP,
            ProcessKind.Stopping.NOTHING,
            AUTH,
            planned -> AuthSettings.requirement(planned)
                    .or(() ->
                            Optional.of(new ProcessKind.VersionRequirement.Requirement(FIVE, null, "rocketmq-proxy"))));

    private ProxyKind() {}
}
