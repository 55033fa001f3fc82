package dev.tfrocketmq.provider;

import dev.tfrocketmq.framework.resource.Provider;
import dev.tfrocketmq.framework.server.ProviderFactory;
import dev.tfrocketmq.framework.server.SessionEnvironment;

/** One {@link RocketMqProvider} per Terraform session, all over one set of {@link SharedServices}. */
public final class RocketMqProviders implements ProviderFactory {
    public static final String NAME = "rocketmq";
    public static final String PLUGIN = "terraform-provider-rocketmq";

    private final SharedServices shared;

    public RocketMqProviders(SharedServices shared) {
        this.shared = shared;
    }

    @Override
    public Provider create(SessionEnvironment environment) {
        return new RocketMqProvider(shared, environment);
    }

    @Override
    public void close() {
        shared.close();
    }
}
