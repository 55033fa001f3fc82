package dev.tfrocketmq.framework.server;

import com.google.protobuf.ByteString;
import dev.tfrocketmq.backendproto.BackendProto;
import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.log.LogSink;
import dev.tfrocketmq.framework.protocol.ProviderSession;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.framework.resource.Provider;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One Terraform run's view of the backend: its own provider instance, cancellation and environment, and a log sink
 * that sends its lines back to its launcher at its own level.
 */
final class Session implements ProviderSession {
    private final String id;
    private final long launcherPid;
    private final SessionEnvironment environment;
    private final Provider provider;
    private final Cancellation cancellation = new Cancellation();
    private final EventSink sink;
    private final AtomicBoolean closed = new AtomicBoolean();

    Session(
            String id,
            long launcherPid,
            SessionEnvironment environment,
            Provider provider,
            StreamObserver<BackendProto.Event> events) {
        this.id = id;
        this.launcherPid = launcherPid;
        this.environment = environment;
        this.provider = provider;
        this.sink = new EventSink(events, Log.levelFromEnvironment(environment.variables(), Log.providerName()));
    }

    String id() {
        return id;
    }

    long launcherPid() {
        return launcherPid;
    }

    SessionEnvironment environment() {
        return environment;
    }

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

    boolean isClosed() {
        return closed.get();
    }

    /** Stops the session's work, releases its provider instance and ends its event stream. Idempotent. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        cancellation.cancel();
        try {
            provider.close();
        } finally {
            sink.complete();
        }
    }

    /** The session's log lines, as events on its Attach stream. The stream is not thread-safe: writes are serialised. */
    private static final class EventSink implements LogSink {
        private final StreamObserver<BackendProto.Event> events;
        private final Log.Level threshold;
        private boolean done;

        EventSink(StreamObserver<BackendProto.Event> events, Log.Level threshold) {
            this.events = events;
            this.threshold = threshold;
        }

        @Override
        public Log.Level threshold() {
            return threshold;
        }

        @Override
        public synchronized void write(String line) {
            if (done) {
                return;
            }
            try {
                events.onNext(BackendProto.Event.newBuilder()
                        .setLog(BackendProto.LogLine.newBuilder()
                                .setLine(ByteString.copyFrom(line, StandardCharsets.UTF_8)))
                        .build());
            } catch (RuntimeException e) {
                done = true; // the launcher is gone; its lines have nowhere to go
            }
        }

        synchronized void complete() {
            if (done) {
                return;
            }
            done = true;
            try {
                events.onCompleted();
            } catch (RuntimeException e) {
                // already cancelled by the launcher
            }
        }
    }
}
