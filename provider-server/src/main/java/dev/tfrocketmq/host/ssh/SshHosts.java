package dev.tfrocketmq.host.ssh;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SSH hosts of one provider process: one {@link SshHost}, and so one connection, per distinct
 * settings. Connections are opened on first use and reopened when found dead.
 */
public final class SshHosts implements AutoCloseable {

    private final Map<SshSettings, SshHost> hosts = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** The host for {@code settings}; it connects when first used. */
    public SshHost get(SshSettings settings) {
        requireNonNull(settings, "settings");
        if (closed) {
            throw new IllegalStateException("the SSH hosts have been closed");
        }
        return hosts.computeIfAbsent(settings, SshHost::new);
    }

    /** Disconnects the hosts whose connection has carried nothing for {@code idle}; they reconnect when used. */
    public int closeIdle(Duration idle) {
        int closed = 0;
        for (SshHost host : hosts.values()) {
            if (host.closeIfIdle(idle)) {
                closed++;
            }
        }
        return closed;
    }

    /** Disconnects every host. */
    @Override
    public void close() {
        closed = true;
        List<SshHost> all = new ArrayList<>(hosts.values());
        hosts.clear();
        all.forEach(SshHost::close);
    }
}
