package dev.tfrocketmq.runtime;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/** Whether something accepts TCP connections on a port, checked by connecting to it. */
public final class Ports {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(1);

    private Ports() {}

    /** Whether a connection to {@code host:port} succeeds within {@code timeout}. */
    public static boolean isListening(String host, int port, Duration timeout) {
        requireNonNull(host, "host");
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), millis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Waits until {@code host:port} accepts connections. Throws if {@code timeout} passes first, or
     * as soon as {@code stillAlive} returns false (the process that should listen has gone, or the
     * caller wants to give up).
     */
    public static void awaitListening(String host, int port, Duration timeout, BooleanSupplier stillAlive) {
        requireNonNull(stillAlive, "stillAlive");
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Duration attempt = Duration.ofNanos(Math.max(left, 0));
            if (isListening(host, port, attempt.compareTo(MAX_CONNECT_TIMEOUT) > 0 ? MAX_CONNECT_TIMEOUT : attempt)) {
                return;
            }
            if (!stillAlive.getAsBoolean()) {
                throw new ComponentException("stopped waiting for " + host + ":" + port
                        + ": the process that should listen there is no longer running");
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new ComponentException("nothing listens on " + host + ":" + port + " after "
                        + String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9));
            }
            try {
                Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ComponentException("interrupted while waiting for " + host + ":" + port, e);
            }
        }
    }
}
