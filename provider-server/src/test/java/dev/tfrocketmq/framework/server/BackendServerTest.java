package dev.tfrocketmq.framework.server;

import static dev.tfrocketmq.framework.resource.FakeResource.object;
import static dev.tfrocketmq.framework.resource.FakeResource.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.tfrocketmq.backendproto.BackendGrpc;
import dev.tfrocketmq.backendproto.BackendProto;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.resource.DataSource;
import dev.tfrocketmq.framework.resource.FakeResource;
import dev.tfrocketmq.framework.resource.Provider;
import dev.tfrocketmq.framework.resource.Resource;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.value.Msgpack;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.tfplugin6.ProviderGrpc;
import dev.tfrocketmq.tfplugin6.Tfplugin6;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendServerTest {
    private static final String BUILD = "build-1";
    private static final TfType.ObjectType TYPE = FakeResource.TYPE;

    @TempDir
    Path dir;

    private final List<BackendServer> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final EpollEventLoopGroup clientLoop = new EpollEventLoopGroup(1);
    private final TestProviders factory = new TestProviders();

    @BeforeAll
    static void nameTheProvider() {
        Log.configure("test", System.err, Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        channels.forEach(ManagedChannel::shutdownNow);
        servers.forEach(s -> s.shutdown("test over"));
        clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** One provider instance per session; its resource reads back what the session configured and its WHO. */
    static final class TestProviders implements ProviderFactory {
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final CountDownLatch planStarted = new CountDownLatch(1);
        volatile boolean closedFactory;

        @Override
        public Provider create(SessionEnvironment environment) {
            created.incrementAndGet();
            return new TestProvider(environment, this);
        }

        @Override
        public void close() {
            closedFactory = true;
        }
    }

    static final class TestProvider implements Provider {
        static final Schema SCHEMA = Schema.of(
                Block.of("test provider", Attribute.string("setting").optional().build()));
        private static final Log LOG = Log.named("test");

        private final FakeResource resource = new FakeResource();
        private volatile String setting = "unset";

        TestProvider(SessionEnvironment environment, TestProviders factory) {
            resource.onRead = (request, response) -> {
                LOG.debug("reading for " + environment.variable("WHO").orElse("?"));
                LOG.info("read done");
                response.setAttribute(
                        "note",
                        Value.string(setting + "|" + environment.variable("WHO").orElse("?")));
            };
            resource.onPlan = (request, response) -> {
                if ("block".equals(request.config().attribute("note").asString())) {
                    factory.planStarted.countDown();
                    // Blocks until StopProvider or an abandoned call cancels it.
                    boolean cancelled = request.cancellation().sleep(Duration.ofSeconds(30));
                    response.setAttribute("note", Value.string(cancelled ? "cancelled" : "timed out"));
                }
            };
            this.factory = factory;
        }

        private final TestProviders factory;

        @Override
        public Schema schema() {
            return SCHEMA;
        }

        @Override
        public void configure(Value config, Diagnostics diagnostics) {
            setting = config.attribute("setting").asString();
        }

        @Override
        public List<Resource> resources() {
            return List.of(resource);
        }

        @Override
        public List<DataSource> dataSources() {
            return List.of();
        }

        @Override
        public void close() {
            factory.closed.incrementAndGet();
        }
    }

    private BackendServer start(Optional<Duration> idle, List<Path> buildFiles) throws Exception {
        BackendServer server = BackendServer.start(
                new BackendServer.Options(dir.resolve("b.sock"), BUILD, idle, buildFiles, "terraform-provider-test"),
                factory);
        servers.add(server);
        return server;
    }

    private BackendServer start() throws Exception {
        return start(Optional.empty(), List.of());
    }

    private ManagedChannel connect() {
        ManagedChannel channel = NettyChannelBuilder.forAddress(
                        new DomainSocketAddress(dir.resolve("b.sock").toString()))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(clientLoop)
                .usePlaintext()
                .build();
        channels.add(channel);
        return channel;
    }

    /** A connection with an attached session; its log lines are collected in {@code lines}. */
    private record Attached(ManagedChannel channel, List<String> lines, CompletableFuture<Status> ended) {
        ProviderGrpc.ProviderBlockingStub provider() {
            return ProviderGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
        }
    }

    private Attached attach(String build, Map<String, String> environment) throws Exception {
        ManagedChannel channel = connect();
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<String> session = new CompletableFuture<>();
        CompletableFuture<Status> ended = new CompletableFuture<>();
        BackendGrpc.newStub(channel)
                .attach(
                        BackendProto.AttachRequest.newBuilder()
                                .setBuild(build)
                                .setWorkingDirectory(dir.toString())
                                .putAllEnvironment(environment)
                                .setLauncherPid(ProcessHandle.current().pid())
                                .build(),
                        new StreamObserver<>() {
                            @Override
                            public void onNext(BackendProto.Event event) {
                                if (event.hasAttached()) {
                                    session.complete(event.getAttached().getSession());
                                } else {
                                    lines.add(event.getLog().getLine().toString(StandardCharsets.UTF_8));
                                }
                            }

                            @Override
                            public void onError(Throwable t) {
                                session.completeExceptionally(t);
                                ended.complete(Status.fromThrowable(t));
                            }

                            @Override
                            public void onCompleted() {
                                ended.complete(Status.OK);
                            }
                        });
        session.get(10, TimeUnit.SECONDS);
        return new Attached(channel, lines, ended);
    }

    private static Tfplugin6.DynamicValue dv(Value value, TfType type) {
        return Tfplugin6.DynamicValue.newBuilder()
                .setMsgpack(ByteString.copyFrom(Msgpack.encode(value, type)))
                .build();
    }

    private static void configure(Attached a, String setting) {
        Value config = Value.object(TestProvider.SCHEMA.block().type(), Map.of("setting", Value.string(setting)));
        Tfplugin6.ConfigureProvider.Response r = a.provider()
                .configureProvider(Tfplugin6.ConfigureProvider.Request.newBuilder()
                        .setConfig(dv(config, TestProvider.SCHEMA.block().type()))
                        .build());
        assertThat(r.getDiagnosticsList()).isEmpty();
    }

    private static String readNote(Attached a) {
        Value current = object("name", str("n"), "id", str("i-1"));
        Tfplugin6.ReadResource.Response r = a.provider()
                .readResource(Tfplugin6.ReadResource.Request.newBuilder()
                        .setTypeName(FakeResource.TYPE_NAME)
                        .setCurrentState(dv(current, TYPE))
                        .build());
        assertThat(r.getDiagnosticsList()).isEmpty();
        return Msgpack.decode(r.getNewState().getMsgpack().toByteArray(), TYPE)
                .attribute("note")
                .asString();
    }

    private static Tfplugin6.PlanResourceChange.Response planBlocking(Attached a) {
        Value config = object("name", str("n"), "note", str("block"));
        return a.provider()
                .planResourceChange(Tfplugin6.PlanResourceChange.Request.newBuilder()
                        .setTypeName(FakeResource.TYPE_NAME)
                        .setPriorState(dv(Value.nullOf(TYPE), TYPE))
                        .setProposedNewState(dv(config, TYPE))
                        .setConfig(dv(config, TYPE))
                        .build());
    }

    @Test
    void twoSessionsConfiguredDifferentlyAtOnceEachKeepTheirOwnSettingsAndEnvironment() throws Exception {
        start();
        Attached alice = attach(BUILD, Map.of("WHO", "alice"));
        Attached bob = attach(BUILD, Map.of("WHO", "bob"));
        configure(alice, "ns-a:9876");
        configure(bob, "ns-b:9876");

        List<CompletableFuture<String>> reads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            reads.add(CompletableFuture.supplyAsync(() -> readNote(alice)));
            reads.add(CompletableFuture.supplyAsync(() -> readNote(bob)));
        }
        for (int i = 0; i < reads.size(); i++) {
            assertThat(reads.get(i).get(20, TimeUnit.SECONDS))
                    .isEqualTo(i % 2 == 0 ? "ns-a:9876|alice" : "ns-b:9876|bob");
        }
        assertThat(factory.created.get())
                .as("a prototype for the schema plus one instance per session")
                .isEqualTo(3);
    }

    @Test
    void logLinesReachOnlyTheSessionThatMadeTheCallAtThatSessionsLevel() throws Exception {
        start();
        Attached verbose = attach(BUILD, Map.of("WHO", "verbose", "TF_LOG_PROVIDER", "debug"));
        Attached quiet = attach(BUILD, Map.of("WHO", "quiet", "TF_LOG", "warn"));
        Attached normal = attach(BUILD, Map.of("WHO", "normal"));
        readNote(verbose);
        readNote(quiet);
        readNote(normal);

        awaitLine(verbose, "read done");
        awaitLine(normal, "read done");
        assertThat(verbose.lines())
                .anyMatch(l -> l.contains("reading for verbose") && l.contains("\"@level\":\"debug\""));
        assertThat(verbose.lines()).noneMatch(l -> l.contains("reading for quiet") || l.contains("reading for normal"));
        assertThat(normal.lines()).noneMatch(l -> l.contains("reading for"));
        assertThat(quiet.lines())
                .as("warn level keeps neither debug nor info lines")
                .isEmpty();
        assertThat(verbose.lines()).allMatch(l -> l.contains("\"@module\":\"test."));
    }

    private static void awaitLine(Attached a, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (a.lines().stream().noneMatch(l -> l.contains(text))) {
            assertThat(System.nanoTime())
                    .as("line " + text + " in " + a.lines())
                    .isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void stopProviderCancelsTheWorkOfItsOwnSessionOnly() throws Exception {
        start();
        Attached stopping = attach(BUILD, Map.of("WHO", "stopping"));
        Attached working = attach(BUILD, Map.of("WHO", "working"));
        CompletableFuture<Tfplugin6.PlanResourceChange.Response> plan =
                CompletableFuture.supplyAsync(() -> planBlocking(stopping));
        assertThat(factory.planStarted.await(10, TimeUnit.SECONDS)).isTrue();

        stopping.provider().stopProvider(Tfplugin6.StopProvider.Request.getDefaultInstance());

        Value planned = Msgpack.decode(
                plan.get(10, TimeUnit.SECONDS).getPlannedState().getMsgpack().toByteArray(), TYPE);
        assertThat(planned.attribute("note").asString()).isEqualTo("cancelled");
        configure(working, "still-here");
        assertThat(readNote(working)).isEqualTo("still-here|working");
    }

    @Test
    void aCallTheLauncherAbandonsIsCancelled() throws Exception {
        start();
        Attached a = attach(BUILD, Map.of());
        ProviderGrpc.ProviderBlockingStub shortDeadline =
                ProviderGrpc.newBlockingStub(a.channel()).withDeadlineAfter(500, TimeUnit.MILLISECONDS);
        Value config = object("name", str("n"), "note", str("block"));
        long started = System.nanoTime();
        assertThatThrownBy(() -> shortDeadline.planResourceChange(Tfplugin6.PlanResourceChange.Request.newBuilder()
                        .setTypeName(FakeResource.TYPE_NAME)
                        .setPriorState(dv(Value.nullOf(TYPE), TYPE))
                        .setProposedNewState(dv(config, TYPE))
                        .setConfig(dv(config, TYPE))
                        .build()))
                .isInstanceOf(StatusRuntimeException.class);
        // The session is still usable, and the abandoned plan did not hold a thread for its 30 s.
        assertThat(readNote(a)).isEqualTo("unset|?");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void callsOnAConnectionWithoutASessionAreRefused() throws Exception {
        start();
        ProviderGrpc.ProviderBlockingStub bare = ProviderGrpc.newBlockingStub(connect());
        assertThatThrownBy(() -> bare.stopProvider(Tfplugin6.StopProvider.Request.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains("attach");
                });
    }

    @Test
    void aLauncherOfAnotherBuildIsRefused() throws Exception {
        start();
        assertThatThrownBy(() -> attach("build-2", Map.of()))
                .hasRootCauseInstanceOf(StatusRuntimeException.class)
                .rootCause()
                .hasMessageContaining("FAILED_PRECONDITION")
                .hasMessageContaining("this backend runs build build-1, not build-2");
    }

    @Test
    void closingTheConnectionEndsTheSessionAndReleasesItsProvider() throws Exception {
        BackendServer server = start();
        Attached a = attach(BUILD, Map.of());
        configure(a, "x");
        assertThat(server.sessionCount()).isEqualTo(1);
        a.channel().shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.sessionCount() > 0 || factory.closed.get() == 0) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(factory.closed.get()).isEqualTo(1);
    }

    @Test
    void aBackendWithoutSessionsStopsAfterItsIdleTime() throws Exception {
        BackendServer server = start(Optional.of(Duration.ofMillis(400)), List.of());
        Attached a = attach(BUILD, Map.of());
        Thread.sleep(800);
        assertThat(readNote(a)).as("an attached session keeps the backend up").isEqualTo("unset|?");
        a.channel().shutdownNow();
        CompletableFuture<String> reason = CompletableFuture.supplyAsync(() -> {
            try {
                return server.awaitStopped();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(reason.get(10, TimeUnit.SECONDS)).startsWith("idle");
        assertThat(dir.resolve("b.sock")).doesNotExist();
    }

    @Test
    void aBackendStopsWhenItsBuildFilesDisappear() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        BackendServer server = start(Optional.empty(), List.of(lib));
        attach(BUILD, Map.of());
        Files.delete(lib);
        CompletableFuture<String> reason = CompletableFuture.supplyAsync(() -> {
            try {
                return server.awaitStopped();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(reason.get(15, TimeUnit.SECONDS)).contains("build's files are gone");
    }

    @Test
    void aConnectionFromAnotherUserIsClosedBeforeItIsServed() throws Exception {
        BackendServer server = BackendServer.start(
                new BackendServer.Options(
                        dir.resolve("b.sock"), BUILD, Optional.empty(), List.of(), "terraform-provider-test"),
                factory,
                SameUserNegotiator.ownUid() + 1);
        servers.add(server);
        assertThatThrownBy(() -> attach(BUILD, Map.of()))
                .hasCauseInstanceOf(StatusRuntimeException.class)
                .cause()
                .hasMessageContaining("UNAVAILABLE");
        assertThat(server.sessionCount()).isZero();
        assertThat(factory.created.get())
                .as("only the schema prototype, no session")
                .isEqualTo(1);
    }
}
