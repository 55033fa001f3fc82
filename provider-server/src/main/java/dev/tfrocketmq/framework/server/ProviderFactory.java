package dev.tfrocketmq.framework.server;

import dev.tfrocketmq.framework.resource.Provider;

/**
 * Makes one provider instance per session. Instances share what the factory holds (connection pools, caches keyed by
 * what authorises them); each keeps its own configuration.
 */
public interface ProviderFactory extends AutoCloseable {
    Provider create(SessionEnvironment environment);

    /** Releases what the instances share; called once, when the backend exits. */
    @Override
    void close();
}
