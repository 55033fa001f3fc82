package dev.tfrocketmq.framework.server;

import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.protocol.ProviderService;
import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerTransportFilter;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The provider's gRPC server on a unix socket. Each connection is one Terraform session (see {@link SessionService});
 * the tfplugin6 calls on it run against that session's provider instance.
 *
 * <p>Its lifetime: it stops when {@link #shutdown} is called (end of the launcher's stdin, a signal), after
 * {@link Options#idleTimeout} without any session, or when one of {@link Options#buildFiles} disappears — a backend
 * never outlives the build it runs.
 */
public final class BackendServer {
    private static final Log LOG = Log.named("backend");
    private static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

    /**
     * @param socket the unix socket to listen on (a stale file there is replaced)
     * @param build the build digest launchers must present; empty accepts any
     * @param idleTimeout stop after this long without a session; empty: never
     * @param buildFiles stop when any of these disappears
     * @param pluginName the plugin's executable name, for messages
     */
    public record Options(
            Path socket, String build, Optional<Duration> idleTimeout, List<Path> buildFiles, String pluginName) {
        public Options {
            buildFiles = List.copyOf(buildFiles);
        }
    }

    private final Options options;
    private final ProviderFactory factory;
    private final Sessions sessions = new Sessions();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final ScheduledExecutorService lifetime = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "backend-lifetime");
        t.setDaemon(true);
        return t;
    });
    private Server server;
    private EpollEventLoopGroup boss;
    private EpollEventLoopGroup workers;
    private volatile String stopReason = "";

    private BackendServer(Options options, ProviderFactory factory) {
        this.options = options;
        this.factory = factory;
    }

    /** Binds the socket and serves this process's user; returns once connections are accepted. */
    public static BackendServer start(Options options, ProviderFactory factory) throws IOException {
        return start(options, factory, SameUserNegotiator.ownUid());
    }

    /** As {@link #start(Options, ProviderFactory)}, serving only peers running as {@code uid}. */
    static BackendServer start(Options options, ProviderFactory factory, int uid) throws IOException {
        BackendServer backend = new BackendServer(options, factory);
        backend.serve(uid);
        return backend;
    }

    private void serve(int uid) throws IOException {
        ProviderService providers =
                new ProviderService(() -> factory.create(SessionEnvironment.ofProcess()), options.pluginName(), () -> {
                    SessionSlot slot = SessionSlot.CONTEXT.get();
                    return slot == null ? null : slot.session();
                });
        Files.deleteIfExists(options.socket());
        boss = new EpollEventLoopGroup(1);
        workers = new EpollEventLoopGroup(2);
        server = NettyServerBuilder.forAddress(
                        new DomainSocketAddress(options.socket().toString()),
                        InternalNettyServerCredentials.create(new SameUserNegotiator(uid)))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(workers)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .addTransportFilter(new SlotPerConnection())
                .addService(ServerInterceptors.intercept(providers, new SlotInContext()))
                .addService(ServerInterceptors.intercept(
                        new SessionService(options.build(), factory, sessions), new SlotInContext()))
                .build()
                .start();
        Thread warmUp = new Thread(
                () -> {
                    long started = System.nanoTime();
                    try {
                        providers.prepare();
                        factory.warmUp();
                        LOG.debug("warmed up", "millis", (System.nanoTime() - started) / 1_000_000);
                    } catch (RuntimeException | LinkageError e) {
                        LOG.debug("warm-up failed; the first calls will load what they need", "error", e.toString());
                    }
                },
                "backend-warm-up");
        warmUp.setDaemon(true);
        warmUp.setPriority(Thread.MIN_PRIORITY);
        warmUp.start();
        long tick = options.idleTimeout()
                .map(d -> Math.max(50, Math.min(5_000, d.toMillis() / 4)))
                .orElse(5_000L);
        lifetime.scheduleWithFixedDelay(this::checkLifetime, tick, tick, TimeUnit.MILLISECONDS);
    }

    private void checkLifetime() {
        for (Path file : options.buildFiles()) {
            if (!Files.exists(file)) {
                shutdown("its build's files are gone (" + file + ")");
                return;
            }
        }
        Optional<Duration> idle = options.idleTimeout();
        if (idle.isPresent() && sessions.idleFor().compareTo(idle.get()) >= 0) {
            shutdown("idle for " + idle.get().toSeconds() + " s");
        }
    }

    public int sessionCount() {
        return sessions.size();
    }

    /** Stops serving: every session's work is cancelled and its connection closed. Safe to call more than once. */
    public void shutdown(String reason) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        stopReason = reason;
        LOG.info("backend stopping", "reason", reason, "open_sessions", sessions.size());
        lifetime.shutdownNow();
        server.shutdown();
        sessions.closeAll();
        try {
            if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        try {
            Files.deleteIfExists(options.socket());
        } catch (IOException e) {
            LOG.debug("cannot remove the socket", "socket", options.socket(), "error", e.getMessage());
        }
        stopped.countDown();
    }

    /** Blocks until {@link #shutdown} has finished; returns its reason. */
    public String awaitStopped() throws InterruptedException {
        stopped.await();
        return stopReason;
    }

    /** Gives each connection an empty session slot, and ends the session when the connection goes. */
    private final class SlotPerConnection extends ServerTransportFilter {
        @Override
        public Attributes transportReady(Attributes attributes) {
            return attributes.toBuilder()
                    .set(SessionSlot.ATTRIBUTE, new SessionSlot())
                    .build();
        }

        @Override
        public void transportTerminated(Attributes attributes) {
            SessionSlot slot = attributes.get(SessionSlot.ATTRIBUTE);
            Session session = slot == null ? null : slot.session();
            if (session != null) {
                sessions.remove(session);
            }
        }
    }

    /** Makes the connection's slot visible to the services through the call's context. */
    private static final class SlotInContext implements ServerInterceptor {
        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(
                ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
            SessionSlot slot = call.getAttributes().get(SessionSlot.ATTRIBUTE);
            return Contexts.interceptCall(Context.current().withValue(SessionSlot.CONTEXT, slot), call, headers, next);
        }
    }
}
