package dev.tfrocketmq.framework.server;

import dev.tfrocketmq.backendproto.BackendGrpc;
import dev.tfrocketmq.backendproto.BackendProto;
import dev.tfrocketmq.framework.log.Log;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** Attach: turns the calling connection into a session, then streams the session's log lines back. */
final class SessionService extends BackendGrpc.BackendImplBase {
    private static final Log LOG = Log.named("backend");
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final String build;
    private final ProviderFactory factory;
    private final Sessions sessions;

    SessionService(String build, ProviderFactory factory, Sessions sessions) {
        this.build = build;
        this.factory = factory;
        this.sessions = sessions;
    }

    @Override
    public void attach(BackendProto.AttachRequest request, StreamObserver<BackendProto.Event> events) {
        SessionSlot slot = SessionSlot.CONTEXT.get();
        if (slot == null) {
            events.onError(Status.INTERNAL.withDescription("no session slot").asRuntimeException());
            return;
        }
        if (!build.isEmpty() && !build.equals(request.getBuild())) {
            events.onError(Status.FAILED_PRECONDITION
                    .withDescription("this backend runs build " + build + ", not " + request.getBuild())
                    .asRuntimeException());
            return;
        }
        Path workingDirectory;
        try {
            workingDirectory = Path.of(request.getWorkingDirectory().isEmpty() ? "/" : request.getWorkingDirectory());
        } catch (InvalidPathException e) {
            events.onError(Status.INVALID_ARGUMENT
                    .withDescription("bad working directory: " + e.getMessage())
                    .asRuntimeException());
            return;
        }
        SessionEnvironment environment = new SessionEnvironment(workingDirectory, request.getEnvironmentMap());
        String id = ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        Session session = new Session(id, request.getLauncherPid(), environment, factory.create(environment), events);
        if (!slot.attach(session)) {
            session.close();
            events.onError(Status.FAILED_PRECONDITION
                    .withDescription("this connection already has a session")
                    .asRuntimeException());
            return;
        }
        if (events instanceof ServerCallStreamObserver<BackendProto.Event> serverEvents) {
            serverEvents.setOnCancelHandler(() -> sessions.remove(session));
        }
        sessions.add(session);
        events.onNext(BackendProto.Event.newBuilder()
                .setAttached(BackendProto.Attached.newBuilder()
                        .setSession(id)
                        .setBackendPid(ProcessHandle.current().pid()))
                .build());
        LOG.debug(
                "session attached",
                "session",
                id,
                "launcher_pid",
                request.getLauncherPid(),
                "working_directory",
                environment.workingDirectory());
    }
}
