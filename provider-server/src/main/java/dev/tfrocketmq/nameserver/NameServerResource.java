package dev.tfrocketmq.nameserver;

import dev.tfrocketmq.admin.AdminErrors;
import dev.tfrocketmq.component.ComponentSchema;
import dev.tfrocketmq.component.KnownKeys;
import dev.tfrocketmq.component.ProcessResource;
import dev.tfrocketmq.component.PropertiesText;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.schema.Validators;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.host.Host;
import dev.tfrocketmq.provider.ProviderContext;
import dev.tfrocketmq.provider.SshBlock;
import dev.tfrocketmq.runtime.Ports;
import dev.tfrocketmq.runtime.ProcessControl;
import dev.tfrocketmq.runtime.ProcessStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code rocketmq_nameserver}: one RocketMQ name server process on a host. */
public final class NameServerResource extends ProcessResource {
    private static final Schema SCHEMA;

    static {
        List<Attribute> attributes = new ArrayList<>(ComponentSchema.common("nameserver", "256m"));
        attributes.add(Attribute.number("listen_port")
                .defaultValue(Value.number(9876))
                .requiresReplace()
                .validate(Validators.integerBetween(1, 65535))
                .description("TCP port the name server listens on. Changing it replaces the name server.")
                .build());
        SCHEMA = Schema.of(new Block(
                attributes,
                List.of(SshBlock.nested(
                        "SSH settings for `host`, overriding the provider's `ssh` block attribute by attribute.")),
                "A RocketMQ name server process on a host: installed from a release archive, configured, started, "
                        + "checked and stopped by Terraform.",
                false));
    }

    public NameServerResource(ProviderContext context) {
        super(context, "nameserver");
    }

    @Override
    public String typeName() {
        return "rocketmq_nameserver";
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    protected KnownKeys knownKeys() {
        return KnownKeys.NAMESERVER;
    }

    @Override
    protected List<String> restartAttributes() {
        return List.of("distribution_sha256", "java_home", "jvm_heap", "jvm_options", "properties", "listen_port");
    }

    @Override
    protected String address(Value planned, String hostAddress) {
        int port = port(planned);
        return port > 0 ? hostAddress + ":" + port : null;
    }

    @Override
    protected List<Integer> ports(Value planned) {
        return List.of(port(planned));
    }

    @Override
    protected Map<String, byte[]> configFiles(Value planned, String homeDir) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("listenPort", String.valueOf(port(planned)));
        Value extra = planned.attribute("properties");
        if (!extra.isNull()) {
            extra.entries().forEach((k, v) -> props.put(k, v.asString()));
        }
        return Map.of("namesrv.properties", PropertiesText.render(props));
    }

    @Override
    protected List<String> mainAndArgs(Value planned, String homeDir) {
        return List.of("org.apache.rocketmq.namesrv.NamesrvStartup", "-c", homeDir + "/run/namesrv.properties");
    }

    @Override
    protected String logbackConfig() {
        return "rmq.namesrv.logback.xml";
    }

    @Override
    protected Duration gracefulStop() {
        return Duration.ofSeconds(30);
    }

    @Override
    protected void awaitReady(
            Value planned, Host host, ProcessControl control, String homeDir, Cancellation cancellation) {
        int port = port(planned);
        String address = host.address() + ":" + port;
        try {
            Ports.awaitListening(
                    host.address(),
                    port,
                    Duration.ofSeconds(60),
                    () -> control.status(homeDir) instanceof ProcessStatus.Running && !cancellation.isCancelled());
        } catch (RuntimeException e) {
            throw new OperatorException(
                    "Name server did not start",
                    "On " + host.name() + ", the name server in " + homeDir + " did not listen on port " + port
                            + " within 60 s (" + e.getMessage() + "). Check that the port is free and the Java home "
                            + "is 17 or newer. Last lines of its console log:\n" + control.logTail(homeDir, 30),
                    e);
        }
        try {
            context.admin().forNameServers(List.of(address)).getNameServerConfig(List.of(address));
        } catch (Exception e) {
            throw new OperatorException(
                    "Name server does not answer",
                    "The name server at " + address + " accepts connections but did not answer a configuration "
                            + "request: " + AdminErrors.describe(e) + ". Last lines of its console log:\n"
                            + control.logTail(homeDir, 30),
                    e);
        }
    }
}
