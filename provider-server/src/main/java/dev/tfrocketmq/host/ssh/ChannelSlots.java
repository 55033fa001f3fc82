package dev.tfrocketmq.host.ssh;

import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.host.HostException;
import dev.tfrocketmq.host.OperationCancelledException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * The session channels (commands, SFTP) of one SSH connection: at most {@code limit} open at once, the rest wait
 * their turn in order of arrival. OpenSSH refuses a session beyond its {@code MaxSessions} (10 unless configured),
 * so the default stays below that. When the server refuses one anyway (its limit is lower, or it has not yet freed
 * the sessions just closed), the number of channels this connection had open then becomes its ceiling for a while:
 * later openers queue here instead of being refused again.
 *
 * <p>An urgent channel (the one that kills a command) may use one slot beyond the limit, so that it never waits
 * behind the commands it is meant to stop.
 */
final class ChannelSlots {

    /** Below OpenSSH's default {@code MaxSessions} of 10, leaving room for an urgent channel and sessions closing. */
    static final int DEFAULT_LIMIT = 8;

    /** How long a ceiling learnt from a refusal holds before the full limit is tried again. */
    static final long CEILING_NANOS = TimeUnit.SECONDS.toNanos(30);

    private static final long POLL_MILLIS = 100;

    private final String hostName;
    private final int limit;
    private int open;
    private int ceiling;
    private long ceilingUntil;
    private final Deque<Object> queue = new ArrayDeque<>();
    private int peak;
    private long idleSince = System.nanoTime();

    ChannelSlots(String hostName, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("at least one channel per connection: " + limit);
        }
        this.hostName = hostName;
        this.limit = limit;
        this.ceiling = limit;
    }

    /** A taken slot; {@link #release} gives it back (once). */
    final class Slot {
        private boolean released;

        void release() {
            synchronized (ChannelSlots.this) {
                if (released) {
                    return;
                }
                released = true;
                open--;
                if (open == 0) {
                    idleSince = System.nanoTime();
                }
                ChannelSlots.this.notifyAll();
            }
        }

        /** The other channels of the connection open while this one is. */
        int others() {
            synchronized (ChannelSlots.this) {
                return open - 1;
            }
        }
    }

    /**
     * Takes a slot, waiting for one in order of arrival (urgent requests go first and may use one slot beyond the
     * limit). Throws {@link OperationCancelledException} when {@code cancellation} fires first and
     * {@link HostException} when {@code deadline} (a {@link System#nanoTime} value) passes first.
     */
    Slot acquire(boolean urgent, long deadline, Cancellation cancellation, String operation) {
        synchronized (this) {
            Object ticket = new Object();
            if (!urgent) {
                queue.addLast(ticket);
            }
            try {
                while (true) {
                    if (cancellation.isCancelled()) {
                        throw new OperationCancelledException(hostName, operation);
                    }
                    boolean myTurn = urgent || queue.peekFirst() == ticket;
                    if (myTurn && open < effectiveLimit() + (urgent ? 1 : 0)) {
                        open++;
                        peak = Math.max(peak, open);
                        return new Slot();
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new HostException(
                                hostName,
                                operation,
                                "no SSH session became free in time: " + open + " sessions of the connection "
                                        + "stayed busy (at most " + effectiveLimit() + " at once)",
                                null);
                    }
                    wait(Math.max(1, Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(left))));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperationCancelledException(hostName, operation);
            } finally {
                if (!urgent) {
                    // Served or given up: either way the next in line may go.
                    queue.remove(ticket);
                    notifyAll();
                }
            }
        }
    }

    /**
     * The server refused a channel while {@code others} other channels of this connection were open: no more than
     * that many (at least one) are opened at once until {@link #CEILING_NANOS} passes without another refusal.
     */
    synchronized void refused(int others) {
        ceiling = Math.max(1, Math.min(limit, others));
        ceilingUntil = System.nanoTime() + CEILING_NANOS;
    }

    /** How many channels may be open now. */
    synchronized int effectiveLimit() {
        if (ceiling < limit && System.nanoTime() - ceilingUntil >= 0) {
            ceiling = limit;
        }
        return ceiling;
    }

    /** The most channels that were open at once. */
    /** Whether no channel is open or waiting, and since when (a {@link System#nanoTime} value; 0 while busy). */
    synchronized long idleSince() {
        return open == 0 && queue.isEmpty() ? idleSince : 0;
    }

    synchronized int peak() {
        return peak;
    }

    synchronized int open() {
        return open;
    }

    int limit() {
        return limit;
    }
}
