package dev.tfrocketmq.host.ssh;

import static java.util.Objects.requireNonNull;

import dev.tfrocketmq.host.CommandFailedException;
import dev.tfrocketmq.host.CommandTimeoutException;
import dev.tfrocketmq.host.ExecResult;
import dev.tfrocketmq.host.Host;
import dev.tfrocketmq.host.HostException;
import dev.tfrocketmq.host.ShellQuote;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.sftp.SFTPClient;

/**
 * A host reached over SSH. The connection is opened on first use and opened again when it is
 * found dead before an operation starts; an operation that fails once it has started is never
 * repeated.
 *
 * <p>Every remote command is a constant script with positional arguments, so that no string
 * from the configuration is ever part of a script's text.
 */
public final class SshHost implements Host {

    private static final int UPLOAD_MODE = 0644;
    private static final int MISSING = 100;
    private static final long POLL_MILLIS = 20;
    /** How long output may stay silent after the command exited before the call returns. */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final Duration FILE_TIMEOUT = Duration.ofMinutes(2);

    /** $1 directory. */
    private static final String MKDIR_SCRIPT = "mkdir -p -- \"$1\"";

    /** $1 uploaded temporary file, $2 target. */
    private static final String PLACE_SCRIPT = """
      if chmod 644 -- "$1" && mv -f -- "$1" "$2"; then exit 0; fi
      rm -f -- "$1"
      exit 1
      """;

    /** $1 uploaded file in /tmp, $2 target: copied (root-owned) next to the target, renamed. */
    private static final String SUDO_PLACE_SCRIPT = """
      t="$2.upload-$$"
      d=$(dirname -- "$2") && mkdir -p -- "$d" && cp -- "$1" "$t" && chmod 644 -- "$t" \\
        && mv -f -- "$t" "$2"
      s=$?
      rm -f -- "$1"
      if [ "$s" -ne 0 ]; then rm -f -- "$t"; fi
      exit "$s"
      """;

    /** $1 target, $2 octal mode; content on standard input. */
    private static final String WRITE_SCRIPT = """
      d=$(dirname -- "$1") && mkdir -p -- "$d" || exit 1
      umask 077
      t="$1.tmp.$$"
      if cat >"$t" && chmod "$2" -- "$t" && mv -f -- "$t" "$1"; then exit 0; fi
      rm -f -- "$t"
      exit 1
      """;

    /** $1 file; exits with 100 when it does not exist. */
    private static final String READ_SCRIPT = """
      if [ ! -e "$1" ]; then exit 100; fi
      exec cat -- "$1"
      """;

    /** Daemon threads that move the bytes of commands' standard streams. */
    private static final ExecutorService STREAMS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "ssh-stream");
        thread.setDaemon(true);
        return thread;
    });

    private final SshSettings settings;
    private final AtomicLong bytesUploaded = new AtomicLong();
    private final Object connectLock = new Object();
    private volatile SshConnection connection;

    public SshHost(SshSettings settings) {
        this.settings = requireNonNull(settings, "settings");
    }

    public SshSettings settings() {
        return settings;
    }

    /** Bytes sent by {@link #upload} so far. */
    public long bytesUploaded() {
        return bytesUploaded.get();
    }

    @Override
    public String name() {
        return settings.display();
    }

    @Override
    public String address() {
        return settings.host();
    }

    /** Opens the connection now rather than on first use. */
    public void connect() {
        connection();
    }

    @Override
    public ExecResult exec(List<String> argv, Duration timeout) {
        return exec(argv, new byte[0], timeout);
    }

    @Override
    public ExecResult exec(List<String> argv, byte[] stdin, Duration timeout) {
        Raw raw = run(argv, stdin, timeout);
        return new ExecResult(raw.exitCode(), utf8(raw.stdout()), utf8(raw.stderr()));
    }

    @Override
    public void upload(Path localFile, String remotePath) {
        requireNonNull(localFile, "localFile");
        String target = checkPath(remotePath);
        String operation = "upload of " + localFile + " to " + target;
        long size;
        try {
            size = Files.size(localFile);
        } catch (IOException e) {
            throw new HostException(name(), operation, e.toString(), e);
        }
        String suffix = ".upload-" + UUID.randomUUID().toString().substring(0, 8);
        String temporary = settings.sudo() ? "/tmp/tfrocketmq" + suffix : target + suffix;
        if (!settings.sudo()) {
            checked(operation, script(MKDIR_SCRIPT, parent(target)), FILE_TIMEOUT);
        }
        try (SFTPClient sftp = open(SSHClient::newSFTPClient, "SFTP")) {
            sftp.put(localFile.toString(), temporary);
        } catch (IOException e) {
            cleanUp(temporary);
            throw new HostException(name(), operation, SshConnection.describe(e), e);
        }
        bytesUploaded.addAndGet(size);
        checked(operation, script(settings.sudo() ? SUDO_PLACE_SCRIPT : PLACE_SCRIPT, temporary, target), FILE_TIMEOUT);
    }

    @Override
    public void writeFile(String remotePath, byte[] content, int posixMode) {
        requireNonNull(content, "content");
        String target = checkPath(remotePath);
        if (posixMode < 0 || posixMode > 0777) {
            throw new IllegalArgumentException("mode must be between 0 and 0777: 0" + Integer.toOctalString(posixMode));
        }
        List<String> argv = script(WRITE_SCRIPT, target, Integer.toOctalString(posixMode));
        Raw raw = run(argv, content, FILE_TIMEOUT);
        if (raw.exitCode() != 0) {
            throw new CommandFailedException(name(), "writing " + target, argv, raw.result());
        }
    }

    @Override
    public Optional<byte[]> readFile(String remotePath) {
        String path = checkPath(remotePath);
        List<String> argv = script(READ_SCRIPT, path);
        Raw raw = run(argv, new byte[0], FILE_TIMEOUT);
        if (raw.exitCode() == MISSING) {
            return Optional.empty();
        }
        if (raw.exitCode() != 0) {
            throw new CommandFailedException(name(), "reading " + path, argv, raw.result());
        }
        return Optional.of(raw.stdout());
    }

    @Override
    public boolean exists(String remotePath) {
        String path = checkPath(remotePath);
        List<String> argv = List.of("test", "-e", path);
        ExecResult result = exec(argv, FILE_TIMEOUT);
        if (result.exitCode() > 1) {
            throw new CommandFailedException(name(), "checking whether " + path + " exists", argv, result);
        }
        return result.ok();
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

    @Override
    public String toString() {
        return name();
    }

    private record Raw(int exitCode, byte[] stdout, byte[] stderr) {
        ExecResult result() {
            return new ExecResult(exitCode, utf8(stdout), utf8(stderr));
        }
    }

    private Raw run(List<String> argv, byte[] stdin, Duration timeout) {
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
        Session session = open(SSHClient::startSession, "a session");
        try {
            Session.Command command;
            try {
                command = session.exec(commandLine);
            } catch (IOException e) {
                throw failure(argv, "could not start it: " + SshConnection.describe(e), e);
            }
            Streams streams = new Streams(command, stdin);
            if (!streams.await(command, deadline)) {
                streams.groupLeader().ifPresent(this::killGroup);
                throw new CommandTimeoutException(name(), argv, timeout);
            }
            streams.rethrow(this, argv);
            awaitClose(command, deadline);
            return new Raw(exitCode(command, argv), streams.stdout(), streams.stderrAfterPid());
        } finally {
            closeQuietly(session);
        }
    }

    /** Collects a command's output and feeds its input, each on a thread of its own. */
    private static final class Streams {
        private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        private final AtomicLong progress = new AtomicLong();
        private final AtomicReference<IOException> failure = new AtomicReference<>();
        private final CountDownLatch done = new CountDownLatch(2);

        Streams(Session.Command command, byte[] stdin) {
            STREAMS.execute(() -> drain(command.getInputStream(), stdout));
            STREAMS.execute(() -> drain(command.getErrorStream(), stderr));
            OutputStream input = command.getOutputStream();
            if (stdin.length == 0) {
                closeInput(input);
            } else {
                STREAMS.execute(() -> {
                    try (input) {
                        input.write(stdin);
                        input.flush();
                    } catch (IOException e) {
                        // The command stopped reading; what it made of its input shows in its result.
                    }
                });
            }
        }

        private static void closeInput(OutputStream input) {
            try {
                input.close();
            } catch (IOException e) {
                // Reported by the command's result if it matters.
            }
        }

        private void drain(InputStream in, ByteArrayOutputStream sink) {
            byte[] buffer = new byte[32 * 1024];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    synchronized (sink) {
                        sink.write(buffer, 0, n);
                    }
                    progress.addAndGet(n);
                }
            } catch (IOException e) {
                failure.compareAndSet(null, e);
            } finally {
                done.countDown();
            }
        }

        /**
         * Waits until both output streams end; false if the deadline passes first. Like a local
         * process whose output goes to files, the call does not wait for a process that the command
         * left behind with the output still open: once the command has exited and its output has
         * been silent for a second, what has arrived is the result.
         */
        boolean await(Session.Command command, long deadline) {
            long exitedAt = 0;
            long progressAtExit = -1;
            try {
                while (!done.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    long now = System.nanoTime();
                    if (now - deadline >= 0) {
                        return false;
                    }
                    if (command.getExitStatus() != null || command.getExitSignal() != null) {
                        long seen = progress.get();
                        if (seen != progressAtExit) {
                            exitedAt = now;
                            progressAtExit = seen;
                        } else if (now - exitedAt > LINGER_NANOS) {
                            return true;
                        }
                    }
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HostException("interrupted while waiting for a command", e);
            }
        }

        void rethrow(SshHost host, List<String> argv) {
            IOException e = failure.get();
            if (e != null) {
                throw host.failure(argv, "its output could not be read: " + SshConnection.describe(e), e);
            }
        }

        byte[] stdout() {
            synchronized (stdout) {
                return stdout.toByteArray();
            }
        }

        /** The pid the shell reported, once its line has arrived. */
        Optional<Long> groupLeader() {
            String first = firstLine();
            return first != null && first.matches("[0-9]{1,10}")
                    ? Optional.of(Long.parseLong(first))
                    : Optional.empty();
        }

        private String firstLine() {
            synchronized (stderr) {
                String text = stderr.toString(StandardCharsets.UTF_8);
                int end = text.indexOf('\n');
                return end < 0 ? null : text.substring(0, end);
            }
        }

        /** Standard error without the line with the shell's pid. */
        byte[] stderrAfterPid() {
            synchronized (stderr) {
                byte[] all = stderr.toByteArray();
                int end = 0;
                while (end < all.length && all[end] != '\n') {
                    end++;
                }
                return end < all.length ? Arrays.copyOfRange(all, end + 1, all.length) : all;
            }
        }
    }

    private void awaitClose(Session.Command command, long deadline) {
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
        try (Session session = open(SSHClient::startSession, "a session")) {
            Session.Command command = session.exec(kill);
            command.join(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            // Closing the command's session is all that is left to do.
        }
    }

    private HostException failure(List<String> argv, String detail, Throwable cause) {
        return new HostException(name(), "running " + abbreviate(argv), detail, cause);
    }

    private interface Opener<T> {
        T open(SSHClient client) throws IOException;
    }

    /**
     * Opens a channel. When the connection turns out to be dead (e.g. the server was restarted),
     * nothing has run yet, so it is opened again once and the channel retried.
     */
    private <T> T open(Opener<T> opener, String what) {
        SshConnection current = connection();
        try {
            return opener.open(current.client());
        } catch (IOException | RuntimeException e) {
            if (current.isAlive()) {
                discard(current);
                throw new HostException(name(), "opening " + what, SshConnection.describe(e), e);
            }
            discard(current);
            try {
                return opener.open(connection().client());
            } catch (IOException | RuntimeException again) {
                again.addSuppressed(e);
                throw again instanceof HostException hostException
                        ? hostException
                        : new HostException(name(), "opening " + what, SshConnection.describe(again), again);
            }
        }
    }

    private SshConnection connection() {
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

    private void checked(String purpose, List<String> argv, Duration timeout) {
        ExecResult result = exec(argv, timeout);
        if (!result.ok()) {
            throw new CommandFailedException(name(), purpose, argv, result);
        }
    }

    private void cleanUp(String path) {
        try {
            exec(List.of("rm", "-f", path), FILE_TIMEOUT);
        } catch (HostException e) {
            // The upload failed already; a leftover temporary file is named after it.
        }
    }

    private static List<String> script(String script, String... args) {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", script, "sh"));
        argv.addAll(List.of(args));
        return List.copyOf(argv);
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    private static String checkPath(String remotePath) {
        requireNonNull(remotePath, "remotePath");
        if (!remotePath.startsWith("/")) {
            throw new IllegalArgumentException("remote paths must be absolute: " + remotePath);
        }
        return remotePath;
    }

    private static String abbreviate(List<String> argv) {
        String line = ShellQuote.join(argv);
        return line.length() <= 120 ? line : line.substring(0, 117) + "...";
    }

    private static String utf8(byte[] bytes) {
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
