package dev.tfrocketmq.host.ssh;

import dev.tfrocketmq.host.HostException;
import java.io.IOException;
import net.schmizz.sshj.SSHClient;

/**
 * The SSH connection of one host, opened on first use and opened again when it is found dead before an operation
 * starts. Channels (sessions, SFTP) are opened through it; what runs on them is not repeated.
 */
final class SshTransport implements AutoCloseable {

    /** Opens a channel on a connected client. */
    interface Opener<T> {
        T open(SSHClient client) throws IOException;
    }

    private final SshSettings settings;
    private final Object connectLock = new Object();
    private volatile SshConnection connection;

    SshTransport(SshSettings settings) {
        this.settings = settings;
    }

    /**
     * Opens a channel. When the connection turns out to be dead (e.g. the server was restarted),
     * nothing has run yet, so it is opened again once and the channel retried.
     */
    <T> T open(Opener<T> opener, String what) {
        SshConnection current = connection();
        try {
            return opener.open(current.client());
        } catch (IOException | RuntimeException e) {
            if (current.isAlive()) {
                discard(current);
                throw new HostException(settings.display(), "opening " + what, SshConnection.describe(e), e);
            }
            discard(current);
            try {
                return opener.open(connection().client());
            } catch (IOException | RuntimeException again) {
                again.addSuppressed(e);
                throw again instanceof HostException hostException
                        ? hostException
                        : new HostException(
                                settings.display(), "opening " + what, SshConnection.describe(again), again);
            }
        }
    }

    /** The live connection, opened now if there is none. */
    SshConnection connection() {
        SshConnection current = connection;
        if (current != null && current.isAlive()) {
            return current;
        }
        synchronized (connectLock) {
            current = connection;
            if (current != null && current.isAlive()) {
                return current;
            }
            if (current != null) {
                current.close();
                connection = null;
            }
            current = SshConnection.open(settings);
            connection = current;
            return current;
        }
    }

    private void discard(SshConnection dead) {
        synchronized (connectLock) {
            if (connection == dead) {
                connection = null;
            }
        }
        dead.close();
    }

    /** Drops the connection; the next operation opens a new one. */
    @Override
    public void close() {
        synchronized (connectLock) {
            SshConnection current = connection;
            connection = null;
            if (current != null) {
                current.close();
            }
        }
    }
}
