package dev.tfrocketmq.host;

import dev.tfrocketmq.framework.resource.Cancellation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A machine that components are installed on and run on.
 *
 * <p>Every operation is expressible as a remote shell command or an SFTP transfer, so an SSH
 * implementation and {@link LocalHost} behave the same. Remote paths are absolute POSIX paths.
 *
 * <p>Every operation honours the host's {@link #cancellation()}: once it fires, a running command is killed with its
 * process group, an upload stops, and the call throws {@link OperationCancelledException}; later calls throw it at
 * once. {@link #withCancellation} gives the same host (and connection) bound to a call's cancellation.
 */
public interface Host extends AutoCloseable {

    /** Name for diagnostics: {@code local} or {@code user@host:port}. */
    String name();

    /** Address that clients use to reach processes on this host. */
    String address();

    /**
     * Runs {@code argv} with empty standard input. {@code argv.get(0)} is the program; no shell is
     * involved unless argv says so. Throws {@link CommandTimeoutException} after {@code timeout},
     * having killed the command.
     */
    ExecResult exec(List<String> argv, Duration timeout);

    /** Runs {@code argv} with {@code stdin} as its standard input. */
    ExecResult exec(List<String> argv, byte[] stdin, Duration timeout);

    /**
     * Copies a local file to {@code remotePath} atomically (a temporary name in the same directory,
     * then a rename), creating parent directories. The file gets mode 0644.
     */
    void upload(Path localFile, String remotePath);

    /**
     * Writes {@code content} to {@code remotePath} atomically with the given mode (e.g. 0644),
     * creating parent directories.
     */
    void writeFile(String remotePath, byte[] content, int posixMode);

    /**
     * Content of {@code remotePath}, or empty if it does not exist. Other failures throw
     * {@link HostException}.
     */
    Optional<byte[]> readFile(String remotePath);

    /** Whether anything exists at {@code remotePath}. */
    boolean exists(String remotePath);

    /**
     * This host, on the same connection, with every operation bound to {@code cancellation} (such as the cancellation
     * of one Terraform call).
     */
    Host withCancellation(Cancellation cancellation);

    /** What stops this host's operations; a host not made by {@link #withCancellation} has one nobody fires. */
    Cancellation cancellation();

    /** Runs {@code argv} and throws {@link CommandFailedException} unless it exits with 0. */
    default ExecResult execChecked(List<String> argv, Duration timeout) {
        ExecResult result = exec(argv, timeout);
        if (!result.ok()) {
            throw new CommandFailedException(name(), argv, result);
        }
        return result;
    }

    @Override
    void close();
}
