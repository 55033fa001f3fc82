package dev.tfrocketmq.host.ssh;

import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.host.HostException;
import dev.tfrocketmq.host.OperationCancelledException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.transport.TransportException;

/**
 * The SSH connection of one host, opened on first use and opened again when it is found dead before an operation
 * starts. Channels (sessions, SFTP) are opened through it, at most {@link ChannelSlots#DEFAULT_LIMIT} at once (the
 * rest queue); a channel the server refuses is opened again on the same connection once another one closes. A
 * failure to open a channel never drops a connection that is alive: other commands may be running on it. What runs
 * on a channel is not repeated.
 */
final class SshTransport implements AutoCloseable {

    private static final Log LOG = Log.named("ssh");
    private static final long FIRST_RETRY_MILLIS = 50;
    private static final long LAST_RETRY_MILLIS = 1000;

    /** Opens a channel on a connected client. */
    interface Opener<T extends Closeable> {
        T open(SSHClient client) throws IOException;
    }

    /** An open channel and its slot on the connection: closing it closes the channel and frees the slot. */
    static final class Channel<T extends Closeable> implements AutoCloseable {
        private final T channel;
        private final ChannelSlots.Slot slot;

        private Channel(T channel, ChannelSlots.Slot slot) {
            this.channel = channel;
            this.slot = slot;
        }

        T get() {
            return channel;
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException | RuntimeException e) {
                // The channel is gone either way.
            } finally {
                slot.release();
            }
        }
    }

    /** A connection and the slots of its channels. */
    private record Live(SshConnection connection, ChannelSlots slots) {}

    private final SshSettings settings;
    private final int channelLimit;
    private final Object connectLock = new Object();
    private volatile Live live;

    SshTransport(SshSettings settings) {
        this(settings, ChannelSlots.DEFAULT_LIMIT);
    }

    /** With at most {@code channelLimit} channels open at once on the connection. */
    SshTransport(SshSettings settings, int channelLimit) {
        this.settings = settings;
        this.channelLimit = channelLimit;
    }

    /**
     * Opens a channel, waiting for a free slot until {@code deadline} (a {@link System#nanoTime} value) or until
     * {@code cancellation} fires. When the connection turns out to be dead (e.g. the server was restarted), nothing
     * has run yet, so it is opened again once and the channel retried; when the server refuses the channel on a live
     * connection (its session limit), it is retried on that connection as channels close.
     *
     * @param urgent for a channel that stops other commands: it does not queue behind them
     */
    <T extends Closeable> Channel<T> open(
            Opener<T> opener, String what, long deadline, Cancellation cancellation, boolean urgent) {
        String operation = "opening " + what;
        boolean reconnected = false;
        long retryMillis = FIRST_RETRY_MILLIS;
        while (true) {
            if (cancellation.isCancelled()) {
                throw new OperationCancelledException(settings.display(), operation);
            }
            Live current = live();
            ChannelSlots.Slot slot = current.slots().acquire(urgent, deadline, cancellation, operation);
            try {
                return new Channel<>(opener.open(current.connection().client()), slot);
            } catch (OpenFailException refused) {
                int others = slot.others();
                slot.release();
                if (!current.connection().isAlive()) {
                    reconnected = reconnectOnce(current, reconnected, operation, refused);
                    continue;
                }
                current.slots().refused(others);
                LOG.debug(
                        "the server refused a channel; retrying on the same connection",
                        "host",
                        settings.display(),
                        "open",
                        others,
                        "reason",
                        SshConnection.describe(refused));
                if (System.nanoTime() - deadline >= 0) {
                    throw new HostException(
                            settings.display(),
                            operation,
                            "the server refused it (" + SshConnection.describe(refused) + ") with " + others
                                    + " other sessions of this connection open, until the time ran out; check the "
                                    + "server's MaxSessions setting",
                            refused);
                }
                if (others == 0 || urgent) {
                    // Nothing of ours to wait for (the server may not yet have freed sessions that just closed, or
                    // an urgent channel may go beyond the ceiling): wait a little, longer each time.
                    if (cancellation.sleep(Duration.ofMillis(retryMillis))) {
                        throw new OperationCancelledException(settings.display(), operation);
                    }
                    retryMillis = Math.min(LAST_RETRY_MILLIS, retryMillis * 2);
                }
            } catch (IOException | RuntimeException e) {
                slot.release();
                if (current.connection().isAlive() && !brokenTransport(e)) {
                    // Other commands may be running on this connection: it stays.
                    throw e instanceof HostException hostException
                            ? hostException
                            : new HostException(settings.display(), operation, SshConnection.describe(e), e);
                }
                reconnected = reconnectOnce(current, reconnected, operation, e);
            }
        }
    }

    /**
     * Whether {@code e} says the connection itself broke (the peer reset it, it ended), though the transport may not
     * have noticed yet: a channel-level failure (refused, timed out) leaves the connection as it is.
     */
    private static boolean brokenTransport(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TransportException || t instanceof SocketException || t instanceof EOFException) {
                return true;
            }
        }
        return false;
    }

    /** Drops a dead connection so that the next attempt opens a new one; throws if that happened already. */
    private boolean reconnectOnce(Live dead, boolean reconnected, String operation, Exception failure) {
        discard(dead);
        if (reconnected) {
            throw failure instanceof HostException hostException
                    ? hostException
                    : new HostException(settings.display(), operation, SshConnection.describe(failure), failure);
        }
        return true;
    }

    /** The live connection, opened now if there is none. */
    SshConnection connection() {
        return live().connection();
    }

    /** The most channels the current connection had open at once; 0 without a connection. */
    int peakChannels() {
        Live current = live;
        return current == null ? 0 : current.slots().peak();
    }

    private Live live() {
        Live current = live;
        if (current != null && current.connection().isAlive()) {
            return current;
        }
        synchronized (connectLock) {
            current = live;
            if (current != null && current.connection().isAlive()) {
                return current;
            }
            if (current != null) {
                current.connection().close();
                live = null;
            }
            current = new Live(SshConnection.open(settings), new ChannelSlots(settings.display(), channelLimit));
            live = current;
            return current;
        }
    }

    private void discard(Live dead) {
        synchronized (connectLock) {
            if (live == dead) {
                live = null;
            }
        }
        dead.connection().close();
    }

    /**
     * Drops the connection if no channel has been open on it for {@code idle}; the next operation opens a new one.
     * Returns whether it did.
     */
    boolean closeIfIdle(Duration idle) {
        synchronized (connectLock) {
            Live current = live;
            if (current == null) {
                return false;
            }
            long since = current.slots().idleSince();
            if (since == 0 || System.nanoTime() - since < idle.toNanos()) {
                return false;
            }
            live = null;
            current.connection().close();
            return true;
        }
    }

    /** Drops the connection; the next operation opens a new one. */
    @Override
    public void close() {
        synchronized (connectLock) {
            Live current = live;
            live = null;
            if (current != null) {
                current.connection().close();
            }
        }
    }

    static long deadlineAfter(Duration duration) {
        return System.nanoTime() + Math.min(duration.toNanos(), TimeUnit.DAYS.toNanos(1));
    }
}
