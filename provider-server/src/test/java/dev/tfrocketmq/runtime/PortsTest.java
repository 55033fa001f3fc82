package dev.tfrocketmq.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PortsTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aListeningPortIsSeenAndAClosedOneIsNot() throws Exception {
        int port;
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            port = server.getLocalPort();
            assertThat(Ports.isListening("127.0.0.1", port, Duration.ofSeconds(1)))
                    .isTrue();
        }
        assertThat(Ports.isListening("127.0.0.1", port, Duration.ofSeconds(1))).isFalse();
    }

    @Test
    void awaitListeningReturnsOnceThePortOpens() throws Exception {
        int port = freePort();
        CompletableFuture<ServerSocket> opened = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(300);
                return new ServerSocket(port, 50, LOOPBACK);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            Ports.awaitListening("127.0.0.1", port, Duration.ofSeconds(5), () -> true);
        } finally {
            opened.get(5, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void awaitListeningGivesUpAsSoonAsTheProcessIsGone() throws Exception {
        int port = freePort();
        long before = System.nanoTime();

        assertThatThrownBy(() -> Ports.awaitListening("127.0.0.1", port, Duration.ofSeconds(30), () -> false))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("no longer running");
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void awaitListeningTimesOut() throws Exception {
        int port = freePort();

        assertThatThrownBy(() -> Ports.awaitListening("127.0.0.1", port, Duration.ofMillis(300), () -> true))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("nothing listens on 127.0.0.1:" + port);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 50, LOOPBACK)) {
            return socket.getLocalPort();
        }
    }
}
