package dev.tfrocketmq.framework.server;

import io.grpc.Attributes;
import io.grpc.Context;
import java.util.concurrent.atomic.AtomicReference;

/** The session of one connection: empty until the launcher attaches, closed with the connection. */
final class SessionSlot {
    static final Attributes.Key<SessionSlot> ATTRIBUTE = Attributes.Key.create("session-slot");
    static final Context.Key<SessionSlot> CONTEXT = Context.key("session-slot");

    private final AtomicReference<Session> session = new AtomicReference<>();

    Session session() {
        return session.get();
    }

    /** False if the connection already has a session. */
    boolean attach(Session s) {
        return session.compareAndSet(null, s);
    }
}
