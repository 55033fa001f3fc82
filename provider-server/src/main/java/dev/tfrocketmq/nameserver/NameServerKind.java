package dev.tfrocketmq.nameserver;

import dev.tfrocketmq.admin.AdminClients;
import dev.tfrocketmq.context.PlannedComponents;
import dev.tfrocketmq.context.SshBlock;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.schema.Validators;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import dev.tfrocketmq.process.KnownKeys;
import dev.tfrocketmq.process.ProcessKind;
import dev.tfrocketmq.process.ProcessSchema;
import dev.tfrocketmq.process.StartedProcess;
import dev.tfrocketmq.runtime.StopMarkers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/** {@code rocketmq_nameserver}: one RocketMQ name server process on a host. */
public final class NameServerKind {
    private static final String CONFIG_FILE = "namesrv.properties";
    private static final Schema SCHEMA;

    static {
        List<Attribute> attributes =
                new ArrayList<>(ProcessSchema.common("nameserver", CONFIG_FILE, "256m", "directory"));
        attributes.add(Attribute.number("listen_port")
                .defaultValue(Value.number(9876))
                .requiresReplace()
                .validate(Validators.integerBetween(1, 65535))
                .description("TCP port the name server listens on. Changing it replaces the name server.")
                .build());
        SCHEMA = Schema.of(new Block(
                attributes,
                List.of(SshBlock.inResource(
                        "SSH settings for `host`, overriding the provider's `ssh` block attribute by attribute.")),
                "A RocketMQ name server process on a host: installed from a release archive, configured, started, "
                        + "checked and stopped by Terraform.",
                false));
    }

    /** One port; clients use the host's address. */
    private static final ProcessKind.Endpoints ENDPOINTS = new ProcessKind.Endpoints() {
        @Override
        public List<ProcessKind.Port> ports(Value planned) {
            return List.of(new ProcessKind.Port(planned.attribute("listen_port").asInt(), "listen_port"));
        }

        @Override
        public String address(Value planned, String hostAddress) {
            return hostAddress + ":" + planned.attribute("listen_port").asInt();
        }
    };

    /** {@code namesrv.properties}: the listen port, then the extra {@code properties}. */
    private static final ProcessKind.ConfigFile CONFIG = new ProcessKind.ConfigFile() {
        @Override
        public Map<String, String> entries(Value planned) {
            Map<String, String> props = new LinkedHashMap<>();
            props.put(
                    "listenPort",
                    String.valueOf(planned.attribute("listen_port").asInt()));
            Value extra = planned.attribute("properties");
            if (!extra.isNull()) {
                extra.entries().forEach((k, v) -> props.put(k, v.asString()));
            }
            return props;
        }

        @Override
        public Map<String, String> attributeKeys() {
            return Map.of("listen_port", "listenPort");
        }
    };

    /**
     * A running name server's config: {@code getNameServerConfig} and {@code updateNameServerConfig} (which also
     * rewrites the file it was started with, its {@code run/} copy).
     */
    private static final ProcessKind.LiveConfig LIVE = new ProcessKind.LiveConfig() {
        @Override
        public Map<String, String> read(AdminClients admin, Value state, String address) throws Exception {
            Map<String, Properties> all = admin.forNameServers(List.of(address)).getNameServerConfig(List.of(address));
            Properties properties = all == null ? null : all.get(address);
            if (properties == null) {
                throw new IllegalStateException("the name server at " + address + " sent no config");
            }
            Map<String, String> config = new TreeMap<>();
            properties.stringPropertyNames().forEach(k -> config.put(k, properties.getProperty(k)));
            return config;
        }

        @Override
        public void write(AdminClients admin, Value state, String address, Map<String, String> updates)
                throws Exception {
            Properties properties = new Properties();
            properties.putAll(updates);
            admin.forNameServers(List.of(address)).updateNameServerConfig(properties, List.of(address));
        }
    };

    /** The name servers of one apply are peers: they restart one at a time. */
    private static final ProcessKind.Membership MEMBERSHIP = new ProcessKind.Membership() {
        @Override
        public Optional<PlannedComponents.Group> group(Value planned) {
            return Optional.of(new PlannedComponents.Group("", "name servers", 0, PlannedComponents.Role.PEER));
        }

        @Override
        public String describe(Value planned) {
            Value port = planned.attribute("listen_port");
            return "rocketmq_nameserver (listen_port "
                    + (port.isKnown() && !port.isNull() ? port.asNumber().toPlainString() : "(known after apply)")
                    + ")";
        }
    };

    /**
     * A name server keeps nothing it has not written already (its KV config is written on every change, routes come
     * back with the brokers' registrations), so its stop need not wait for RocketMQ's thread joins. A restarted name
     * server knows no broker until each registers again, which brokers do every 30 s: the restart asks each broker it
     * knew to register at once and waits for them, so routes never go missing while the next name server restarts.
     */
    private static final ProcessKind.Stopping STOPPING = new ProcessKind.Stopping() {
        @Override
        public ProcessKind.Restart beforeStop(StartedProcess running, Cancellation cancellation) {
            return NameServerRestart.noteBrokers(running);
        }

        @Override
        public StopMarkers markers(Value state) {
            return StopMarkers.NOTHING_TO_WRITE;
        }
    };

    public static final ProcessKind KIND = new ProcessKind(
            "nameserver",
            "rocketmq_nameserver",
            SCHEMA,
            KnownKeys::nameServer,
            new ProcessKind.JvmMain("org.apache.rocketmq.namesrv.NamesrvStartup", CONFIG_FILE, "namesrv"),
            Duration.ofSeconds(30),
            List.of(),
            CONFIG,
            ENDPOINTS,
            new NameServerReadiness(),
            List.of(),
            List.of(NameServerKind::checkProperties),
            ProcessKind.DataDirectories.NONE,
            LIVE,
            MEMBERSHIP,
            STOPPING);

    private NameServerKind() {}

    /** {@code listenPort} has its own attribute; in {@code properties} it would move the port readiness checks. */
    private static void checkProperties(Value config, Diagnostics diagnostics) {
        Value props = config.attribute("properties");
        if (!props.isKnown() || props.isNull()) {
            return;
        }
        for (String key : props.entries().keySet()) {
            if (key.equalsIgnoreCase("listenPort")) {
                diagnostics.attributeError(
                        ValuePath.root().attribute("properties").key(key),
                        "Use the listen_port attribute",
                        "The namesrv.properties key " + key + " has its own attribute; set listen_port instead of "
                                + "properties[\"" + key + "\"].");
            }
        }
    }
}
