package dev.tfrocketmq.framework.server;

import dev.tfrocketmq.framework.log.Log;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The attached sessions, and since when there have been none (for the idle exit). */
final class Sessions {
    private static final Log LOG = Log.named("backend");

    private final Set<Session> open = ConcurrentHashMap.newKeySet();
    private volatile long emptySinceNanos = System.nanoTime();

    void add(Session session) {
        open.add(session);
    }

    /** Ends a session: its work is cancelled and its provider instance released. */
    void remove(Session session) {
        boolean removed = open.remove(session);
        session.close();
        if (removed) {
            LOG.debug("session closed", "session", session.id(), "open_sessions", open.size());
            if (open.isEmpty()) {
                emptySinceNanos = System.nanoTime();
            }
        }
    }

    int size() {
        return open.size();
    }

    /** How long there has been no session; zero while there is one. */
    Duration idleFor() {
        return open.isEmpty() ? Duration.ofNanos(System.nanoTime() - emptySinceNanos) : Duration.ZERO;
    }

    void closeAll() {
        for (Session s : List.copyOf(open)) {
            remove(s);
        }
    }
}
