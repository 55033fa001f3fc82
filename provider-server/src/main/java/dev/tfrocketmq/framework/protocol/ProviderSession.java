package dev.tfrocketmq.framework.protocol;

import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.log.LogSink;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.framework.resource.Provider;

/**
 * What one Terraform session sees: its own provider instance (and so its own configuration and caches), the
 * cancellation its StopProvider fires, and where its log lines go.
 */
public interface ProviderSession {
    Provider provider();

    Cancellation cancellation();

    LogSink logSink();

    /** A session for {@code provider} that logs to the process's default sink. */
    static ProviderSession of(Provider provider) {
        Cancellation cancellation = new Cancellation();
        LogSink sink = Log.defaultSink();
        return new ProviderSession() {
            @Override
            public Provider provider() {
                return provider;
            }

            @Override
            public Cancellation cancellation() {
                return cancellation;
            }

            @Override
            public LogSink logSink() {
                return sink;
            }
        };
    }
}
