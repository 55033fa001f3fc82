package dev.tfrocketmq.framework.protocol;

import dev.tfrocketmq.framework.log.Log;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * Serves the provider on a unix socket for the launcher binary, announces readiness with one stdout line, and lives
 * exactly as long as the launcher: it stops when its stdin reaches end of file.
 */
public final class PluginServer {
    public static final String READY_LINE = "TFROCKETMQ-READY";
    private static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
    private static final Log LOG = Log.named("server");

    private final Server server;
    private final EpollEventLoopGroup boss;
    private final EpollEventLoopGroup workers;

    private PluginServer(Server server, EpollEventLoopGroup boss, EpollEventLoopGroup workers) {
        this.server = server;
        this.boss = boss;
        this.workers = workers;
    }

    public static PluginServer start(String socketPath, BindableService service) throws IOException {
        EpollEventLoopGroup boss = new EpollEventLoopGroup(1);
        EpollEventLoopGroup workers = new EpollEventLoopGroup(2);
        Server server = NettyServerBuilder.forAddress(new DomainSocketAddress(socketPath))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(workers)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .addService(service)
                .build()
                .start();
        return new PluginServer(server, boss, workers);
    }

    public void announce(PrintStream stdout) {
        stdout.println(READY_LINE);
        stdout.flush();
    }

    /** Blocks until stdin closes (the launcher exited or asked us to stop), then shuts down. */
    public void awaitLauncherExit(InputStream stdin) {
        byte[] buffer = new byte[256];
        try {
            while (stdin.read(buffer) >= 0) {
                // The launcher sends nothing; any bytes are ignored.
            }
        } catch (IOException e) {
            LOG.debug("stdin closed with an error", "error", e.getMessage());
        }
        LOG.debug("launcher gone; stopping");
        stop();
    }

    public void stop() {
        server.shutdown();
        try {
            server.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.shutdownNow();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
