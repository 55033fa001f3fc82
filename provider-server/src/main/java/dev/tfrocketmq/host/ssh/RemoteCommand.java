package dev.tfrocketmq.host.ssh;

import static java.util.Objects.requireNonNull;

import dev.tfrocketmq.host.CommandTimeoutException;
import dev.tfrocketmq.host.ExecResult;
import dev.tfrocketmq.host.HostException;
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
 * decoded, and on timeout its whole process group killed.
 */
final class RemoteCommand {

    /** What a command did, its output as bytes. */
    record Result(int exitCode, byte[] stdout, byte[] stderr) {
        ExecResult decoded() {
            return new ExecResult(exitCode, utf8(stdout), utf8(stderr));
        }
    }

    private final SshTransport transport;
    private final SshSettings settings;

    RemoteCommand(SshTransport transport, SshSettings settings) {
        this.transport = transport;
        this.settings = settings;
    }

    Result run(List<String> argv, byte[] stdin, Duration timeout) {
        requireNonNull(argv, "argv");
        requireNonNull(stdin, "stdin");
        requireNonNull(timeout, "timeout");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
        // The login shell is the leader of the command's process group (sshd made it a session
        // leader); it reports its pid first so that a timeout can kill the whole group.
        String commandLine = "echo $$ >&2; exec " + (settings.sudo() ? "sudo -n " : "") + ShellQuote.join(argv);
        long deadline = System.nanoTime() + timeout.toNanos();
        Session session = transport.open(SSHClient::startSession, "a session");
        try {
            Session.Command command;
            try {
                command = session.exec(commandLine);
            } catch (IOException e) {
                throw failure(argv, "could not start it: " + SshConnection.describe(e), e);
            }
            CommandStreams streams = new CommandStreams(command, stdin);
            if (!streams.await(command, deadline)) {
                streams.groupLeader().ifPresent(this::killGroup);
                throw new CommandTimeoutException(settings.display(), argv, timeout);
            }
            IOException broken = streams.failure();
            if (broken != null) {
                throw failure(argv, "its output could not be read: " + SshConnection.describe(broken), broken);
            }
            awaitClose(command, deadline);
            return new Result(exitCode(command, argv), streams.stdout(), streams.stderrAfterPid());
        } finally {
            closeQuietly(session);
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
     * Kills the process group of a command that timed out, over a session of its own. (OpenSSH
     * refuses SSH "signal" requests in many configurations, root logins among them.) Processes
     * that the command detached into sessions of their own are left alone, as they are locally.
     */
    private void killGroup(long leader) {
        String kill = (settings.sudo() ? "sudo -n " : "") + "kill -KILL -- -" + leader;
        try (Session session = transport.open(SSHClient::startSession, "a session")) {
            Session.Command command = session.exec(kill);
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

    private static void closeQuietly(Session session) {
        try {
            session.close();
        } catch (IOException | RuntimeException e) {
            // The session's channel is gone either way.
        }
    }
}
