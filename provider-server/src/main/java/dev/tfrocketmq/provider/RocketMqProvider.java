package dev.tfrocketmq.provider;

import dev.tfrocketmq.auth.AclResource;
import dev.tfrocketmq.auth.UserResource;
import dev.tfrocketmq.broker.BrokerKind;
import dev.tfrocketmq.cluster.ClusterDataSource;
import dev.tfrocketmq.context.AdminAccess;
import dev.tfrocketmq.context.ProviderContext;
import dev.tfrocketmq.context.ProviderSettings;
import dev.tfrocketmq.context.SharedServices;
import dev.tfrocketmq.context.SshBlock;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.resource.DataSource;
import dev.tfrocketmq.framework.resource.Provider;
import dev.tfrocketmq.framework.resource.Resource;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.schema.Validators;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.group.ConsumerGroupDataSource;
import dev.tfrocketmq.group.ConsumerGroupResource;
import dev.tfrocketmq.host.UserEnvironment;
import dev.tfrocketmq.nameserver.NameServerKind;
import dev.tfrocketmq.process.ProcessResource;
import dev.tfrocketmq.proxy.ProxyKind;
import dev.tfrocketmq.topic.TopicDataSource;
import dev.tfrocketmq.topic.TopicResource;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The rocketmq provider: name servers, brokers, proxies, topics, consumer groups, users and ACLs. */
public final class RocketMqProvider implements Provider {
    private static final String ACCESS_KEY = "access_key";
    private static final String SECRET_KEY = "secret_key";
    private static final Schema SCHEMA = Schema.of(Block.of(
                    "Manages Apache RocketMQ name servers, brokers, proxies, topics, consumer groups, users and ACLs, on this "
                            + "machine or on hosts reached over SSH.",
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
                            .build(),
                    Attribute.string(ACCESS_KEY)
                            .optional()
                            .validate(AdminAccess.accessKey())
                            .description(
                                    "Access key (a RocketMQ 5 ACL 2.0 user name) the provider's admin requests are "
                                            + "signed with, for clusters that run with authentication on; needs `secret_key`. "
                                            + "Defaults to the `" + AdminAccess.ACCESS_KEY_VARIABLE
                                            + "` environment variable. "
                                            + "Brokers that enable authentication bootstrap this user as their first super "
                                            + "user.")
                            .build(),
                    Attribute.string(SECRET_KEY)
                            .optional()
                            .sensitive()
                            .description("Secret key (the user's password) for `access_key`. Defaults to the `"
                                    + AdminAccess.SECRET_KEY_VARIABLE + "` environment variable. Never logged, "
                                    + "never stored in state.")
                            .build())
            .withBlocks(
                    SshBlock.inProvider("Default SSH settings for every name server and broker that sets `host`.")));

    private final ProviderContext context;
    private final List<Resource> resources;
    private final List<DataSource> dataSources;
    /** Services this instance made itself and so closes; null when they were handed in (their owner closes them). */
    private final SharedServices owned;

    /** A provider with services of its own, for the user this JVM runs as. */
    public RocketMqProvider() {
        this(SharedServices.create(defaultDownloadCache()), UserEnvironment.fromProcess(), true);
    }

    /**
     * A provider for one user's environment, on services that several providers share; closing this provider
     * leaves them open.
     */
    public RocketMqProvider(SharedServices services, UserEnvironment environment) {
        this(services, environment, false);
    }

    private RocketMqProvider(SharedServices services, UserEnvironment environment, boolean owns) {
        this.context = new ProviderContext(services, environment);
        this.owned = owns ? services : null;
        this.resources = List.of(
                new ProcessResource(context, NameServerKind.KIND),
                new ProcessResource(context, BrokerKind.KIND),
                new ProcessResource(context, ProxyKind.KIND),
                new TopicResource(context),
                new ConsumerGroupResource(context),
                new UserResource(context),
                new AclResource(context));
        this.dataSources = List.of(
                new ClusterDataSource(context), new TopicDataSource(context), new ConsumerGroupDataSource(context));
    }

    /** Where downloaded distributions are kept unless the services say otherwise. */
    public static Path defaultDownloadCache() {
        return Path.of(System.getProperty("java.io.tmpdir"), "terraform-provider-rocketmq-downloads");
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
                // Kept even when partly unknown: a component that needs it then fails with that reason, rather than
                // silently connecting without the block (as root, with default keys).
                ssh.isNull() ? null : ssh,
                AdminAccess.credentials(
                        config.attribute(ACCESS_KEY),
                        config.attribute(SECRET_KEY),
                        context.environment(),
                        diagnostics)));
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
        if (owned != null) {
            owned.close();
        }
    }
}
