package dev.tfrocketmq.runtime;

import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.host.ExecResult;
import dev.tfrocketmq.host.Host;
import dev.tfrocketmq.host.LocalHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** The local host, counting uploads; optionally corrupting them or running with another PATH. */
final class TestHost implements Host {

    private final Host delegate;
    private final AtomicInteger uploads;
    private volatile boolean corruptUploads;
    private volatile String path;

    TestHost() {
        this.delegate = LocalHost.instance();
        this.uploads = new AtomicInteger();
    }

    private TestHost(TestHost host, Cancellation cancellation) {
        this.delegate = host.delegate.withCancellation(cancellation);
        this.uploads = host.uploads;
        this.corruptUploads = host.corruptUploads;
        this.path = host.path;
    }

    @Override
    public TestHost withCancellation(Cancellation cancellation) {
        return new TestHost(this, cancellation);
    }

    @Override
    public Cancellation cancellation() {
        return delegate.cancellation();
    }

    int uploads() {
        return uploads.get();
    }

    TestHost corruptingUploads() {
        corruptUploads = true;
        return this;
    }

    /** Runs every command with {@code PATH=path}. */
    TestHost withPath(String path) {
        this.path = path;
        return this;
    }

    @Override
    public String name() {
        return "test";
    }

    @Override
    public String address() {
        return delegate.address();
    }

    @Override
    public ExecResult exec(List<String> argv, Duration timeout) {
        return delegate.exec(withEnvironment(argv), timeout);
    }

    @Override
    public ExecResult exec(List<String> argv, byte[] stdin, Duration timeout) {
        return delegate.exec(withEnvironment(argv), stdin, timeout);
    }

    @Override
    public void upload(Path localFile, String remotePath) {
        uploads.incrementAndGet();
        if (!corruptUploads) {
            delegate.upload(localFile, remotePath);
            return;
        }
        try {
            byte[] content = Files.readAllBytes(localFile);
            content[content.length - 1] ^= 1;
            delegate.writeFile(remotePath, content, 0644);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void writeFile(String remotePath, byte[] content, int posixMode) {
        delegate.writeFile(remotePath, content, posixMode);
    }

    @Override
    public Optional<byte[]> readFile(String remotePath) {
        return delegate.readFile(remotePath);
    }

    @Override
    public boolean exists(String remotePath) {
        return delegate.exists(remotePath);
    }

    @Override
    public void close() {}

    private List<String> withEnvironment(List<String> argv) {
        if (path == null) {
            return argv;
        }
        List<String> wrapped = new ArrayList<>(List.of("/usr/bin/env", "PATH=" + path));
        wrapped.addAll(argv);
        return wrapped;
    }
}
