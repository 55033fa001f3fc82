package dev.tfrocketmq.host.ssh;

import static java.util.Objects.requireNonNull;

import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.host.CommandFailedException;
import dev.tfrocketmq.host.ExecResult;
import dev.tfrocketmq.host.Host;
import dev.tfrocketmq.host.HostException;
import dev.tfrocketmq.host.OperationCancelledException;
import dev.tfrocketmq.host.ShellScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.StreamCopier;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.xfer.TransferListener;

/**
 * A host reached over SSH: the {@link Host} operations on top of a {@link SshTransport} (the connection, opened on
 * first use and again when found dead before an operation starts; its channels limited and queued), a
 * {@link RemoteCommand} runner (an operation that fails once it has started is never repeated) and the
 * {@link RemoteScripts} behind file operations. Views made by {@link #withCancellation} share the connection.
 */
public final class SshHost implements Host {

    private static final Duration FILE_TIMEOUT = Duration.ofMinutes(2);
    /** How long an upload may wait for a free session (it then runs as long as the transfer takes). */
    private static final Duration UPLOAD_QUEUE_TIMEOUT = Duration.ofMinutes(10);

    private static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(30);

    private final SshSettings settings;
    private final SshTransport transport;
    private final RemoteCommand commands;
    private final AtomicLong bytesUploaded;
    private final Cancellation cancellation;

    public SshHost(SshSettings settings) {
        this(settings, ChannelSlots.DEFAULT_LIMIT);
    }

    /** With at most {@code channelLimit} channels (commands, transfers) open at once on the connection. */
    SshHost(SshSettings settings, int channelLimit) {
        this.settings = requireNonNull(settings, "settings");
        this.transport = new SshTransport(settings, channelLimit);
        this.commands = new RemoteCommand(transport, settings);
        this.bytesUploaded = new AtomicLong();
        this.cancellation = new Cancellation();
    }

    private SshHost(SshHost host, Cancellation cancellation) {
        this.settings = host.settings;
        this.transport = host.transport;
        this.commands = host.commands;
        this.bytesUploaded = host.bytesUploaded;
        this.cancellation = requireNonNull(cancellation, "cancellation");
    }

    @Override
    public SshHost withCancellation(Cancellation cancellation) {
        return new SshHost(this, cancellation);
    }

    @Override
    public Cancellation cancellation() {
        return cancellation;
    }

    /** The most channels the current connection has had open at once. */
    int peakChannels() {
        return transport.peakChannels();
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
        transport.connection();
    }

    @Override
    public ExecResult exec(List<String> argv, Duration timeout) {
        return exec(argv, new byte[0], timeout);
    }

    @Override
    public ExecResult exec(List<String> argv, byte[] stdin, Duration timeout) {
        return commands.run(argv, stdin, timeout, cancellation).decoded();
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
            checked(operation, ShellScript.argv(RemoteScripts.MKDIR, parent(target)));
        }
        try (SshTransport.Channel<SFTPClient> sftp = transport.open(
                        SSHClient::newSFTPClient,
                        "SFTP",
                        SshTransport.deadlineAfter(UPLOAD_QUEUE_TIMEOUT),
                        cancellation,
                        false);
                // A stalled transfer reports no progress: closing its channel is what ends it.
                Cancellation.Registration onCancel = cancellation.onCancel(sftp::close)) {
            sftp.get().getFileTransfer().setTransferListener(new StopWhenCancelled(operation));
            sftp.get().put(localFile.toString(), temporary);
        } catch (IOException | RuntimeException e) {
            cleanUp(temporary);
            if (cancellation.isCancelled()) {
                throw new OperationCancelledException(name(), operation);
            }
            throw e instanceof HostException hostException
                    ? hostException
                    : new HostException(name(), operation, SshConnection.describe(e), e);
        }
        bytesUploaded.addAndGet(size);
        try {
            checked(
                    operation,
                    ShellScript.argv(
                            settings.sudo() ? RemoteScripts.SUDO_PLACE : RemoteScripts.PLACE, temporary, target));
        } catch (OperationCancelledException e) {
            cleanUp(temporary);
            throw e;
        }
    }

    @Override
    public void writeFile(String remotePath, byte[] content, int posixMode) {
        requireNonNull(content, "content");
        String target = checkPath(remotePath);
        if (posixMode < 0 || posixMode > 0777) {
            throw new IllegalArgumentException("mode must be between 0 and 0777: 0" + Integer.toOctalString(posixMode));
        }
        List<String> argv = ShellScript.argv(RemoteScripts.WRITE, target, Integer.toOctalString(posixMode));
        RemoteCommand.Result result = commands.run(argv, content, FILE_TIMEOUT, cancellation);
        if (result.exitCode() != 0) {
            throw new CommandFailedException(name(), "writing " + target, argv, result.decoded());
        }
    }

    @Override
    public Optional<byte[]> readFile(String remotePath) {
        String path = checkPath(remotePath);
        List<String> argv = ShellScript.argv(RemoteScripts.READ, path);
        RemoteCommand.Result result = commands.run(argv, new byte[0], FILE_TIMEOUT, cancellation);
        if (result.exitCode() == RemoteScripts.MISSING) {
            return Optional.empty();
        }
        if (result.exitCode() != 0) {
            throw new CommandFailedException(name(), "reading " + path, argv, result.decoded());
        }
        return Optional.of(result.stdout());
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

    /** Drops the connection if it has carried no channel for {@code idle}; returns whether it did. */
    public boolean closeIfIdle(Duration idle) {
        return transport.closeIfIdle(idle);
    }

    /** Drops the connection (shared with views of this host); the next operation opens a new one. */
    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return name();
    }

    private void checked(String purpose, List<String> argv) {
        ExecResult result = exec(argv, FILE_TIMEOUT);
        if (!result.ok()) {
            throw new CommandFailedException(name(), purpose, argv, result);
        }
    }

    /** Removes what a failed upload left, even when the upload failed because it was cancelled. */
    private void cleanUp(String path) {
        try {
            commands.run(List.of("rm", "-f", path), new byte[0], CLEANUP_TIMEOUT, new Cancellation());
        } catch (HostException e) {
            // The upload failed already; a leftover temporary file is named after it.
        }
    }

    /** Ends a transfer at its next chunk once the cancellation has fired. */
    private final class StopWhenCancelled implements TransferListener {
        private final String operation;

        StopWhenCancelled(String operation) {
            this.operation = operation;
        }

        @Override
        public TransferListener directory(String name) {
            return this;
        }

        @Override
        public StreamCopier.Listener file(String name, long size) {
            return transferred -> {
                if (cancellation.isCancelled()) {
                    throw new IOException(operation + " was stopped");
                }
            };
        }
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
}
