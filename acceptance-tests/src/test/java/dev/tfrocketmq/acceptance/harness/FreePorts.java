package dev.tfrocketmq.acceptance.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Picks blocks of free TCP ports outside the kernel's ephemeral range, never the same block twice per JVM. */
public final class FreePorts {
    private static final int LOWEST = 10_000;
    private static final int HIGHEST = 65_000;
    private static final int ATTEMPTS = 500;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {}

    /**
     * A base port P such that P .. P+size-1 are all free now. A broker listening on L also binds L-2 and L+1,
     * so ask for a block that covers every such port.
     */
    public static synchronized int block(int size) {
        if (size < 1 || size > 1000) {
            throw new IllegalArgumentException("block size " + size);
        }
        int[] ephemeral = ephemeralRange();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int base = random.nextInt(LOWEST, HIGHEST - size);
            if (overlaps(base, size, ephemeral[0], ephemeral[1]) || anyHandedOut(base, size) || !allFree(base, size)) {
                continue;
            }
            for (int p = base; p < base + size; p++) {
                HANDED_OUT.add(p);
            }
            return base;
        }
        throw new IllegalStateException("no block of " + size + " free ports found in " + ATTEMPTS + " attempts");
    }

    /** True when a server socket can bind the port on every address right now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    /** True when something accepts TCP connections on 127.0.0.1:port. */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** Waits until every port can be bound; fails naming the ports still in use. */
    public static void awaitFree(Duration timeout, int... ports) {
        Await.until("ports " + Arrays.toString(ports) + " to be free", timeout, () -> {
            for (int port : ports) {
                if (!isFree(port)) {
                    throw new IllegalStateException("port " + port + " is still in use");
                }
            }
            return true;
        });
    }

    /** The ports a broker listening on {@code listenPort} binds: the fast port, the main port and the HA port. */
    public static int[] brokerPorts(int listenPort) {
        return new int[] {listenPort - 2, listenPort - 1, listenPort, listenPort + 1};
    }

    private static boolean allFree(int base, int size) {
        for (int p = base; p < base + size; p++) {
            if (!isFree(p)) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyHandedOut(int base, int size) {
        for (int p = base; p < base + size; p++) {
            if (HANDED_OUT.contains(p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean overlaps(int base, int size, int low, int high) {
        return base <= high && base + size - 1 >= low;
    }

    /** The kernel's ephemeral port range, or the Linux default when it cannot be read. */
    static int[] ephemeralRange() {
        try {
            String[] parts = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim()
                    .split("\\s+");
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (IOException | RuntimeException unreadable) {
            return new int[] {32_768, 60_999};
        }
    }
}
