package dev.tfrocketmq.host.ssh;

import static java.util.Objects.requireNonNull;

import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.host.CommandTimeoutException;
import dev.tfrocketmq.host.ExecResult;
import dev.tfrocketmq.host.HostException;
import dev.tfrocketmq.host.OperationCancelledException;
import dev.tfrocketmq.host.ShellQuote;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;

/**
 * Runs one command over an SSH session: its streams pumped by {@link CommandStreams}, its exit status or signal
 * decoded, and on timeout or cancellation its whole process group killed.
 */
final class RemoteCommand {

    /** What a command did, its output as bytes. */
    record Result(int exitCode, byte[] stdout, byte[] stderr) {
        ExecResult decoded() {
            return new ExecResult(exitCode, utf8(stdout), utf8(stderr));
        }
    }

    /** How long a cancelled command may take to report its shell's pid, so that its group can be killed. */
    private static final long LEADER_WAIT_MILLIS = 2000;

    private final SshTransport transport;
    private final SshSettings settings;

    RemoteCommand(SshTransport transport, SshSettings settings) {
        this.transport = transport;
        this.settings = settings;
    }

    /**
     * Runs {@code argv}, waiting for a free session first. Once {@code cancellation} fires the command's process
     * group is killed and {@link OperationCancelledException} thrown.
     */
    Result run(List<String> argv, byte[] stdin, Duration timeout, Cancellation cancellation) {
        requireNonNull(argv, "argv");
        requireNonNull(stdin, "stdin");
        requireNonNull(timeout, "timeout");
        requireNonNull(cancellation, "cancellation");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
        String operation = "running " + abbreviate(argv);
        // The login shell is the leader of the command's process group (sshd made it a session
        // leader); it reports its pid first so that a timeout can kill the whole group.
        String commandLine = "echo $$ >&2; exec " + (settings.sudo() ? "sudo -n " : "") + ShellQuote.join(argv);
        long deadline = SshTransport.deadlineAfter(timeout);
        try (SshTransport.Channel<Session> channel =
                transport.open(SSHClient::startSession, "a session", deadline, cancellation, false)) {
            Session.Command command;
            try {
                command = channel.get().exec(commandLine);
            } catch (IOException e) {
                throw failure(argv, "could not start it: " + SshConnection.describe(e), e);
            }
            CommandStreams streams = new CommandStreams(command, stdin);
            switch (streams.await(command, deadline, cancellation)) {
                case TIMED_OUT -> {
                    streams.groupLeader().ifPresent(this::killGroup);
                    throw new CommandTimeoutException(settings.display(), argv, timeout);
                }
                case CANCELLED -> {
                    streams.awaitGroupLeader(LEADER_WAIT_MILLIS).ifPresent(this::killGroup);
                    throw new OperationCancelledException(settings.display(), operation);
                }
                case FINISHED -> {
                    // the result follows
                }
            }
            IOException broken = streams.failure();
            if (broken != null) {
                throw failure(argv, "its output could not be read: " + SshConnection.describe(broken), broken);
            }
            awaitClose(command, deadline);
            return new Result(exitCode(command, argv), streams.stdout(), streams.stderrAfterPid());
        }
    }

    private static void awaitClose(Session.Command command, long deadline) {
        if (command.getExitStatus() != null || command.getExitSignal() != null) {
            return;
        }
        long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        try {
            command.join(left, TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            // The exit status below tells whether the command finished.
        }
    }

    private int exitCode(Session.Command command, List<String> argv) {
        Integer status = command.getExitStatus();
        if (status != null) {
            return status;
        }
        Signal signal = command.getExitSignal();
        if (signal != null) {
            return 128 + signalNumber(signal);
        }
        throw failure(argv, "the connection ended before the command reported an exit status", null);
    }

    /** Linux signal numbers of the signals SSH names. */
    static int signalNumber(Signal signal) {
        return switch (signal) {
            case HUP -> 1;
            case INT -> 2;
            case QUIT -> 3;
            case ILL -> 4;
            case ABRT -> 6;
            case FPE -> 8;
            case KILL -> 9;
            case USR1 -> 10;
            case SEGV -> 11;
            case USR2 -> 12;
            case PIPE -> 13;
            case ALRM -> 14;
            case TERM -> 15;
            default -> 127;
        };
    }

    /**
     * Kills the process group of a command that timed out or was cancelled, over a session of its own that does not
     * queue behind other commands and is not itself cancelled. (OpenSSH refuses SSH "signal" requests in many
     * configurations, root logins among them.) Processes that the command detached into sessions of their own are
     * left alone, as they are locally.
     */
    private void killGroup(long leader) {
        String kill = (settings.sudo() ? "sudo -n " : "") + "kill -KILL -- -" + leader;
        long deadline = SshTransport.deadlineAfter(settings.timeout());
        try (SshTransport.Channel<Session> channel =
                transport.open(SSHClient::startSession, "a session", deadline, new Cancellation(), true)) {
            Session.Command command = channel.get().exec(kill);
            command.join(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            // Closing the command's session is all that is left to do.
        }
    }

    private HostException failure(List<String> argv, String detail, Throwable cause) {
        return new HostException(settings.display(), "running " + abbreviate(argv), detail, cause);
    }

    private static String abbreviate(List<String> argv) {
        String line = ShellQuote.join(argv);
        return line.length() <= 120 ? line : line.substring(0, 117) + "...";
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
