package dev.tfrocketmq.acceptance.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class FreePortsTest {
    @Test
    void block_returnsPortsThatAreFreeAndOutsideTheEphemeralRange() {
        int base = FreePorts.block(12);
        int[] ephemeral = FreePorts.ephemeralRange();

        for (int p = base; p < base + 12; p++) {
            assertThat(FreePorts.isFree(p)).as("port %d", p).isTrue();
            assertThat(p < ephemeral[0] || p > ephemeral[1])
                    .as("port %d outside %d-%d", p, ephemeral[0], ephemeral[1])
                    .isTrue();
        }
    }

    @Test
    void block_neverHandsOutTheSamePortTwice() {
        int first = FreePorts.block(50);
        int second = FreePorts.block(50);

        assertThat(Math.abs(first - second)).isGreaterThanOrEqualTo(50);
    }

    @Test
    void isFree_isFalseWhileSomethingListensOnLoopback() throws Exception {
        int port = FreePorts.block(1);
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", port));

            assertThat(FreePorts.isFree(port)).isFalse();
            assertThat(FreePorts.isListening(port)).isTrue();
        }
        assertThat(FreePorts.isFree(port)).isTrue();
        assertThat(FreePorts.isListening(port)).isFalse();
    }

    @Test
    void awaitFree_namesThePortStillInUse() throws Exception {
        int port = FreePorts.block(1);
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(port));

            assertThatThrownBy(() -> FreePorts.awaitFree(Duration.ofMillis(300), port))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("port " + port + " is still in use");
        }
    }

    @Test
    void brokerPorts_coverTheFastMainAndHaPorts() {
        assertThat(FreePorts.brokerPorts(10911)).containsExactly(10909, 10910, 10911, 10912);
    }
}
