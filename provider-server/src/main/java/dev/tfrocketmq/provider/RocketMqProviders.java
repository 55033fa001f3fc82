package dev.tfrocketmq.provider;

import dev.tfrocketmq.context.SharedServices;
import dev.tfrocketmq.framework.resource.Provider;
import dev.tfrocketmq.framework.server.ProviderFactory;
import dev.tfrocketmq.framework.server.SessionEnvironment;
import dev.tfrocketmq.host.UserEnvironment;
import dev.tfrocketmq.process.KnownKeys;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/** One {@link RocketMqProvider} per Terraform session, all over one set of {@link SharedServices}. */
public final class RocketMqProviders implements ProviderFactory {
    public static final String NAME = "rocketmq";
    public static final String PLUGIN = "terraform-provider-rocketmq";

    private final SharedServices shared;

    public RocketMqProviders(SharedServices shared) {
        this.shared = shared;
    }

    /** Providers over services of their own, downloads kept in the default cache. */
    public static RocketMqProviders forThisProcess() {
        return new RocketMqProviders(SharedServices.create(RocketMqProvider.defaultDownloadCache()));
    }

    @Override
    public Provider create(SessionEnvironment environment) {
        return new RocketMqProvider(
                shared,
                new UserEnvironment(environment.home(), environment.workingDirectory(), environment.variables()));
    }

    /** The admin client's classes are the bulk of a cold start (hundreds of ms); construct one without starting it. */
    @Override
    public void warmUp() {
        new DefaultMQAdminExt().getAdminExtGroup();
        KnownKeys.BROKER.contains("brokerName");
    }

    @Override
    public void close() {
        shared.close();
    }
}
