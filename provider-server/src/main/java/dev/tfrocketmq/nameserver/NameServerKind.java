package dev.tfrocketmq.nameserver;

import dev.tfrocketmq.context.SshBlock;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.schema.Validators;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import dev.tfrocketmq.process.KnownKeys;
import dev.tfrocketmq.process.ProcessKind;
import dev.tfrocketmq.process.ProcessSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        public List<Integer> ports(Value planned) {
            return List.of(planned.attribute("listen_port").asInt());
        }

        @Override
        public String address(Value planned, String hostAddress) {
            return hostAddress + ":" + planned.attribute("listen_port").asInt();
        }
    };

    public static final ProcessKind KIND = new ProcessKind(
            "nameserver",
            "rocketmq_nameserver",
            SCHEMA,
            KnownKeys.NAMESERVER,
            new ProcessKind.JvmMain(
                    "org.apache.rocketmq.namesrv.NamesrvStartup", CONFIG_FILE, "rmq.namesrv.logback.xml"),
            Duration.ofSeconds(30),
            List.of("listen_port"),
            NameServerKind::config,
            ENDPOINTS,
            new NameServerReadiness(),
            List.of(),
            List.of(NameServerKind::checkProperties),
            ProcessKind.DataDirectories.NONE);

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

    /** {@code namesrv.properties}: the listen port, then the extra {@code properties}. */
    private static Map<String, String> config(Value planned) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("listenPort", String.valueOf(planned.attribute("listen_port").asInt()));
        Value extra = planned.attribute("properties");
        if (!extra.isNull()) {
            extra.entries().forEach((k, v) -> props.put(k, v.asString()));
        }
        return props;
    }
}
