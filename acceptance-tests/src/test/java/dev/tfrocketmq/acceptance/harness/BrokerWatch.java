package dev.tfrocketmq.acceptance.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches whether the brokers of each group accept connections on their listen port, every few hundred milliseconds
 * on its own thread, and records every change and every moment at which no broker of a group answered.
 */
public final class BrokerWatch implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 300;

    private final Map<String, List<String>> groups;
    private final Duration interval;
    private final Map<String, Boolean> up = new LinkedHashMap<>();
    private final List<String> timeline = new ArrayList<>();
    private final List<String> groupsDown = new ArrayList<>();
    private int mostDown;
    private final Thread thread;
    private volatile boolean running = true;
    private int rounds;

    private BrokerWatch(Map<String, List<String>> groups, Duration interval) {
        this.groups = Map.copyOf(groups);
        this.interval = interval;
        this.thread = new Thread(this::loop, "broker-watch");
        thread.setDaemon(true);
    }

    /** Starts watching; {@code groups} maps a broker group to its members' {@code host:port}. */
    public static BrokerWatch start(Map<String, List<String>> groups, Duration interval) {
        BrokerWatch watch = new BrokerWatch(groups, interval);
        watch.thread.start();
        return watch;
    }

    private void loop() {
        while (running) {
            Instant at = Instant.now();
            Map<String, Boolean> now = new LinkedHashMap<>();
            groups.values().forEach(members -> members.forEach(m -> now.put(m, accepts(m))));
            synchronized (this) {
                rounds++;
                now.forEach((member, isUp) -> {
                    Boolean before = up.put(member, isUp);
                    if (before == null || before != isUp) {
                        timeline.add(at + " " + member + (isUp ? " up" : " down"));
                    }
                });
                mostDown = Math.max(
                        mostDown, (int) now.values().stream().filter(u -> !u).count());
                groups.forEach((group, members) -> {
                    if (members.stream().noneMatch(now::get)) {
                        groupsDown.add(at + " " + group + ": none of " + members + " accepts connections");
                    }
                });
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static boolean accepts(String address) {
        int colon = address.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(
                    new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
                    CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Each change of a broker's reachability, in order. */
    public synchronized List<String> timeline() {
        return List.copyOf(timeline);
    }

    /** Each probe round at which no broker of a group answered. */
    public synchronized List<String> groupsDown() {
        return List.copyOf(groupsDown);
    }

    /** The most brokers found down in one round. */
    public synchronized int mostDownAtOnce() {
        return mostDown;
    }

    /** How many rounds of probes were made. */
    public synchronized int rounds() {
        return rounds;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
