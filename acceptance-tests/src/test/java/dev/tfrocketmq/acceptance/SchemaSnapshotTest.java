package dev.tfrocketmq.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.acceptance.harness.Await;
import dev.tfrocketmq.acceptance.harness.Project;
import dev.tfrocketmq.acceptance.harness.WorkDir;
import dev.tfrocketmq.backendproto.BackendGrpc;
import dev.tfrocketmq.backendproto.BackendProto;
import dev.tfrocketmq.tfplugin6.ProviderGrpc;
import dev.tfrocketmq.tfplugin6.Tfplugin6;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The launcher answers GetProviderSchema from the snapshot the build writes ({@code lib/provider-schema.pb}) without
 * waiting for Java. That is only right while the snapshot is byte for byte what the packaged backend answers.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
final class SchemaSnapshotTest {
    @Test
    void theLaunchersSchemaSnapshotIsByteIdenticalToTheBackendsAnswer() throws Exception {
        Project.requirePackaged();
        Path lib = Project.providerBinary().getParent().resolve("lib");
        byte[] snapshot = Files.readAllBytes(lib.resolve("provider-schema.pb"));
        Path socketDir = Files.createTempDirectory(Path.of("/tmp"), "tfs");
        Path socket = socketDir.resolve("b.sock");
        Path workdir = WorkDir.create("schema-snapshot");
        Process backend = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        lib + File.separator + "*",
                        "dev.tfrocketmq.Main",
                        "--socket",
                        socket.toString(),
                        "--exit-with-stdin"))
                .redirectOutput(workdir.resolve("backend.stdout").toFile())
                .redirectError(workdir.resolve("backend.stderr").toFile())
                .start();
        EpollEventLoopGroup loop = new EpollEventLoopGroup(1);
        ManagedChannel channel = null;
        try {
            Await.until("the backend's socket", Duration.ofSeconds(60), () -> Files.exists(socket));
            channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                    .channelType(EpollDomainSocketChannel.class)
                    .eventLoopGroup(loop)
                    .usePlaintext()
                    .maxInboundMessageSize(256 << 20)
                    .build();
            Iterator<BackendProto.Event> events = BackendGrpc.newBlockingStub(channel)
                    .attach(BackendProto.AttachRequest.newBuilder()
                            .setWorkingDirectory(workdir.toString())
                            .build());
            assertThat(events.next().hasAttached()).isTrue();

            byte[] live = ProviderGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance())
                    .toByteArray();

            assertThat(live).as("the backend's GetProviderSchema answer").isNotEmpty();
            assertThat(snapshot).as("lib/provider-schema.pb").isEqualTo(live);
        } finally {
            if (channel != null) {
                channel.shutdownNow();
            }
            backend.getOutputStream().close(); // end of stdin: the backend stops
            if (!backend.waitFor(10, TimeUnit.SECONDS)) {
                backend.destroyForcibly();
            }
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            Files.deleteIfExists(socket);
            Files.deleteIfExists(socketDir);
        }
    }
}
