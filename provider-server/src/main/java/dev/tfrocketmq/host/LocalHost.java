package dev.tfrocketmq.host;

import static java.util.Objects.requireNonNull;

import dev.tfrocketmq.framework.resource.Cancellation;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The machine this JVM runs on, as one user sees it.
 *
 * <p>Commands run through {@link ProcessBuilder} in the user's home directory (where an SSH
 * session starts) with the user's environment variables, with output captured in temporary files
 * so that a daemon that a command leaves behind cannot hold the call open. File operations are the
 * java.nio counterparts of SFTP.
 */
public final class LocalHost implements Host {

    private static final LocalHost INSTANCE = new LocalHost(UserEnvironment.fromProcess());
    private static final int UPLOAD_MODE = 0644;
    private static final File DEV_NULL = new File("/dev/null");

    private static final int COPY_BUFFER = 256 * 1024;

    private final File workingDirectory;
    private final Map<String, String> variables;
    private final Cancellation cancellation;

    /** This machine for {@code environment}: commands run in its home directory with its variables. */
    public LocalHost(UserEnvironment environment) {
        requireNonNull(environment, "environment");
        this.workingDirectory = environment.home().toFile();
        this.variables = environment.variables();
        this.cancellation = new Cancellation();
    }

    private LocalHost(LocalHost host, Cancellation cancellation) {
        this.workingDirectory = host.workingDirectory;
        this.variables = host.variables;
        this.cancellation = requireNonNull(cancellation, "cancellation");
    }

    /** This machine for the environment this JVM was started with. */
    public static LocalHost instance() {
        return INSTANCE;
    }

    @Override
    public LocalHost withCancellation(Cancellation cancellation) {
        return new LocalHost(this, cancellation);
    }

    @Override
    public Cancellation cancellation() {
        return cancellation;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public String address() {
        return "127.0.0.1";
    }

    @Override
    public ExecResult exec(List<String> argv, Duration timeout) {
        return exec(argv, new byte[0], timeout);
    }

    @Override
    public ExecResult exec(List<String> argv, byte[] stdin, Duration timeout) {
        List<String> command = checkArgv(argv);
        requireNonNull(stdin, "stdin");
        requireNonNull(timeout, "timeout");
        checkNotCancelled("running " + ShellQuote.abbreviate(command));
        Path out = null;
        Path err = null;
        Path in = null;
        try {
            out = Files.createTempFile("tfrocketmq-exec-", ".out");
            err = Files.createTempFile("tfrocketmq-exec-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workingDirectory.isDirectory() ? workingDirectory : null)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().clear();
            builder.environment().putAll(variables);
            if (stdin.length == 0) {
                builder.redirectInput(DEV_NULL);
            } else {
                in = Files.createTempFile("tfrocketmq-exec-", ".in");
                Files.write(in, stdin);
                builder.redirectInput(in.toFile());
            }
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                return startFailure(command, e);
            }
            awaitExit(process, command, timeout);
            return new ExecResult(process.exitValue(), readUtf8(out), readUtf8(err));
        } catch (IOException e) {
            throw new HostException(name(), "running " + ShellQuote.abbreviate(command), e.toString(), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
            deleteQuietly(in);
        }
    }

    private void awaitExit(Process process, List<String> command, Duration timeout) {
        try (Cancellation.Registration onCancel = cancellation.onCancel(() -> killTree(process))) {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                killTree(process);
                throw new CommandTimeoutException(name(), command, timeout);
            }
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new HostException(name(), "running " + ShellQuote.abbreviate(command), "interrupted", e);
        }
        // A command killed because the call was cancelled did not fail on its own: say why it ended.
        checkNotCancelled("running " + ShellQuote.abbreviate(command));
    }

    private void checkNotCancelled(String operation) {
        if (cancellation.isCancelled()) {
            throw new OperationCancelledException(name(), operation);
        }
    }

    /** Kills the command and every process below it (those that detached into a session of their own are not). */
    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A missing or non-executable program gives the exit status a shell would (127 / 126). */
    private ExecResult startFailure(List<String> command, IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("error=2,")) {
            return new ExecResult(127, "", command.get(0) + ": not found\n");
        }
        if (message.contains("error=13,")) {
            return new ExecResult(126, "", command.get(0) + ": Permission denied\n");
        }
        throw new HostException(name(), "running " + ShellQuote.abbreviate(command), message, e);
    }

    @Override
    public void upload(Path localFile, String remotePath) {
        requireNonNull(localFile, "localFile");
        Path target = remote(remotePath);
        String operation = "upload of " + localFile + " to " + remotePath;
        checkNotCancelled(operation);
        try {
            writeAtomically(target, temp -> copy(localFile, temp, operation), UPLOAD_MODE);
        } catch (IOException e) {
            throw new HostException(name(), operation, e.toString(), e);
        }
    }

    /** Copies in chunks, stopping at the first chunk after a cancellation. */
    private void copy(Path from, Path to, String operation) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        try (InputStream in = Files.newInputStream(from);
                OutputStream out = Files.newOutputStream(to)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                checkNotCancelled(operation);
                out.write(buffer, 0, n);
            }
        }
    }

    @Override
    public void writeFile(String remotePath, byte[] content, int posixMode) {
        requireNonNull(content, "content");
        Path target = remote(remotePath);
        permissions(posixMode);
        checkNotCancelled("writing " + remotePath);
        try {
            writeAtomically(target, temp -> Files.write(temp, content), posixMode);
        } catch (IOException e) {
            throw new HostException(name(), "writing " + remotePath, e.toString(), e);
        }
    }

    @Override
    public Optional<byte[]> readFile(String remotePath) {
        Path path = remote(remotePath);
        checkNotCancelled("reading " + remotePath);
        try {
            return Optional.of(Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (FileSystemException e) {
            // A parent that is a regular file: SFTP reports that as "no such file" too.
            if ("Not a directory".equals(e.getReason()) && !Files.isDirectory(path)) {
                return Optional.empty();
            }
            throw new HostException(name(), "reading " + remotePath, e.toString(), e);
        } catch (IOException e) {
            throw new HostException(name(), "reading " + remotePath, e.toString(), e);
        }
    }

    @Override
    public boolean exists(String remotePath) {
        Path path = remote(remotePath);
        checkNotCancelled("checking whether " + remotePath + " exists");
        return Files.exists(path);
    }

    @Override
    public void close() {
        // Nothing to release: no connection is held.
    }

    @Override
    public String toString() {
        return name();
    }

    private interface Filler {
        void fill(Path temp) throws IOException;
    }

    private static void writeAtomically(Path target, Filler filler, int posixMode) throws IOException {
        Set<PosixFilePermission> permissions = permissions(posixMode);
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            filler.fill(temp);
            Files.setPosixFilePermissions(temp, permissions);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        if (mode < 0 || mode > 0777) {
            throw new IllegalArgumentException("mode must be between 0 and 0777: 0" + Integer.toOctalString(mode));
        }
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ
        };
        Set<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                result.add(bits[i]);
            }
        }
        return result;
    }

    private static Path remote(String remotePath) {
        requireNonNull(remotePath, "remotePath");
        if (!remotePath.startsWith("/")) {
            throw new IllegalArgumentException("remote paths must be absolute: " + remotePath);
        }
        return Path.of(remotePath);
    }

    private static List<String> checkArgv(List<String> argv) {
        requireNonNull(argv, "argv");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
        return List.copyOf(argv);
    }

    private static String readUtf8(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A leftover temporary file is harmless.
            }
        }
    }
}
