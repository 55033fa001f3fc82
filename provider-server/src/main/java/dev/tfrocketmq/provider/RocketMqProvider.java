package dev.tfrocketmq.provider;

import dev.tfrocketmq.broker.BrokerResource;
import dev.tfrocketmq.cluster.ClusterDataSource;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.resource.DataSource;
import dev.tfrocketmq.framework.resource.Provider;
import dev.tfrocketmq.framework.resource.Resource;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.schema.Validators;
import dev.tfrocketmq.framework.server.SessionEnvironment;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.nameserver.NameServerResource;
import dev.tfrocketmq.topic.TopicDataSource;
import dev.tfrocketmq.topic.TopicResource;
import java.util.List;
import java.util.Optional;

/** The rocketmq provider: name servers, brokers and topics. */
public final class RocketMqProvider implements Provider {
    private static final Schema SCHEMA = Schema.of(Block.of(
                    "Manages Apache RocketMQ name servers, brokers and topics, on this machine or on hosts reached over SSH.",
                    Attribute.of("name_servers", TfType.list(TfType.STRING))
                            .optional()
                            .description(
                                    "Default name servers (`host:port`) for topics and data sources that do not set their own.")
                            .validate(Validators.eachElement(Validators.hostPort()))
                            .build(),
                    Attribute.string("java_home")
                            .optional()
                            .description("Default Java home (17 or newer) used to run name servers and brokers.")
                            .validate(Validators.absolutePath())
                            .build())
            .withBlocks(SshBlock.nested("Default SSH settings for every name server and broker that sets `host`.")));

    private final ProviderContext context;
    private final List<Resource> resources;
    private final List<DataSource> dataSources;

    /** A provider instance for one session, over the backend's shared services. */
    public RocketMqProvider(SharedServices shared, SessionEnvironment environment) {
        this.context = new ProviderContext(shared, environment);
        this.resources =
                List.of(new NameServerResource(context), new BrokerResource(context), new TopicResource(context));
        this.dataSources = List.of(new ClusterDataSource(context), new TopicDataSource(context));
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public void configure(Value config, Diagnostics diagnostics) {
        Value ns = config.attribute("name_servers");
        Value javaHome = config.attribute("java_home");
        Value ssh = config.attribute(SshBlock.NAME);
        // Values that depend on resources not yet created stay unset; resources that need them will say so.
        context.configure(new ProviderSettings(
                ns.isWhollyKnown() && !ns.isNull()
                        ? ns.elements().stream().map(Value::asString).toList()
                        : List.of(),
                javaHome.isKnown() && !javaHome.isNull() ? Optional.of(javaHome.asString()) : Optional.empty(),
                ssh.isWhollyKnown() && !ssh.isNull() ? ssh : null));
    }

    @Override
    public List<Resource> resources() {
        return resources;
    }

    @Override
    public List<DataSource> dataSources() {
        return dataSources;
    }

    @Override
    public void close() {
        context.close();
    }
}
