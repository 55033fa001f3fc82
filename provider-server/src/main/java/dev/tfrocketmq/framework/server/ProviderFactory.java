package dev.tfrocketmq.framework.server;

import dev.tfrocketmq.framework.resource.Provider;

/**
 * Makes one provider instance per session. Instances share what the factory holds (connection pools, caches keyed by
 * what authorises them); each keeps its own configuration.
 */
public interface ProviderFactory extends AutoCloseable {
    Provider create(SessionEnvironment environment);

    /**
     * Loads and initialises, in the background right after start-up, what the first real calls will need (client
     * libraries, codecs), so that the first command of the day does not wait for it. Must not contact any host.
     */
    default void warmUp() {}

    /** Releases what the instances share; called once, when the backend exits. */
    @Override
    void close();
}
