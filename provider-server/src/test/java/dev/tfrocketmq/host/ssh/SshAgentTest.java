package dev.tfrocketmq.host.ssh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ssh-agent wire encoding (draft-miller-ssh-agent), against a fake agent on a socket. */
class SshAgentTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final byte[] ED25519 = blob("ssh-ed25519", new byte[32]);
    private static final byte[] RSA = blob("ssh-rsa", new byte[] {1, 0, 1}, new byte[] {0, -1, 3});

    @TempDir
    Path tmp;

    private FakeAgent fake;

    @AfterEach
    void stopFake() throws Exception {
        if (fake != null) {
            fake.close();
        }
    }

    private SshAgent agent() {
        return new SshAgent(tmp.resolve("agent.sock"), TIMEOUT);
    }

    @Test
    void identitiesAreRequestedWithABareMessage11AndReadFromAnswer12() throws Exception {
        fake = new FakeAgent(tmp.resolve("agent.sock"), message(12, out -> {
            out.writeInt(2);
            string(out, ED25519);
            string(out, "me@laptop".getBytes(UTF_8));
            string(out, RSA);
            string(out, new byte[0]);
        }));

        List<SshAgent.Identity> keys = agent().identities();

        assertThat(fake.request()).containsExactly(0, 0, 0, 1, 11);
        assertThat(keys).hasSize(2);
        assertThat(keys.get(0).blob()).isEqualTo(ED25519);
        assertThat(keys.get(0).keyType()).isEqualTo("ssh-ed25519");
        assertThat(keys.get(0).comment()).isEqualTo("me@laptop");
        assertThat(keys.get(0)).hasToString("ssh-ed25519 me@laptop");
        assertThat(keys.get(1).blob()).isEqualTo(RSA);
        assertThat(keys.get(1)).hasToString("ssh-rsa");
    }

    @Test
    void anEmptyAgentAnswersNoIdentities() throws Exception {
        fake = new FakeAgent(tmp.resolve("agent.sock"), message(12, out -> out.writeInt(0)));

        assertThat(agent().identities()).isEmpty();
    }

    @Test
    void aSignRequest13CarriesTheKeyBlobTheDataAndTheFlagsAndAnswer14IsTheSignature() throws Exception {
        byte[] signature = blob("rsa-sha2-512", new byte[] {9, 8, 7});
        fake = new FakeAgent(tmp.resolve("agent.sock"), message(14, out -> string(out, signature)));
        byte[] data = "session id and request".getBytes(UTF_8);

        byte[] signed = agent().sign(RSA, data, SshAgent.flagsFor("rsa-sha2-512"));

        assertThat(signed).isEqualTo(signature);
        assertThat(fake.request()).isEqualTo(message(13, out -> {
            string(out, RSA);
            string(out, data);
            out.writeInt(4);
        }));
    }

    @Test
    void rsaSignatureAlgorithmsSelectTheirFlagsAndOtherAlgorithmsNone() {
        assertThat(SshAgent.flagsFor("rsa-sha2-256")).isEqualTo(2);
        assertThat(SshAgent.flagsFor("rsa-sha2-512")).isEqualTo(4);
        assertThat(SshAgent.flagsFor("rsa-sha2-512-cert-v01@openssh.com")).isEqualTo(4);
        assertThat(SshAgent.flagsFor("ssh-rsa")).isZero();
        assertThat(SshAgent.flagsFor("ssh-ed25519")).isZero();
        assertThat(SshAgent.flagsFor("ecdsa-sha2-nistp256")).isZero();
    }

    @Test
    void aFailureAnswer5IsARefusal() throws Exception {
        fake = new FakeAgent(tmp.resolve("agent.sock"), message(5, out -> {}));

        assertThatThrownBy(() -> agent().sign(ED25519, new byte[] {1}, 0))
                .isInstanceOf(SshAgent.RefusedException.class)
                .hasMessageContaining("refused to sign")
                .hasMessageContaining("agent.sock");
    }

    @Test
    void anAnswerOfTheWrongTypeIsARefusal() throws Exception {
        fake = new FakeAgent(tmp.resolve("agent.sock"), message(6, out -> {}));

        assertThatThrownBy(() -> agent().identities())
                .isInstanceOf(SshAgent.RefusedException.class)
                .hasMessageContaining("message type 6");
    }

    @Test
    void truncatedAndOversizedAnswersAreRejected() throws Exception {
        fake = new FakeAgent(tmp.resolve("agent.sock"), message(12, out -> {
            out.writeInt(1);
            out.writeInt(100); // a 100-byte key blob that is not there
        }));
        assertThatThrownBy(() -> agent().identities())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("malformed");
        fake.close();

        fake = new FakeAgent(tmp.resolve("agent.sock"), new byte[] {0x7f, 0, 0, 0, 12});
        assertThatThrownBy(() -> agent().identities())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("reply of");
    }

    @Test
    void aMissingSocketIsUnreachable() {
        assertThatThrownBy(() -> agent().identities())
                .isInstanceOf(SshAgent.UnreachableException.class)
                .hasMessageContaining("cannot connect to the SSH agent at " + tmp.resolve("agent.sock"));
    }

    @Test
    void aSilentAgentTimesOut() throws Exception {
        fake = new FakeAgent(tmp.resolve("agent.sock"), null);
        SshAgent slow = new SshAgent(tmp.resolve("agent.sock"), Duration.ofMillis(300));

        long start = System.nanoTime();
        assertThatThrownBy(slow::identities)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("did not answer within 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void oneAgentServesConcurrentCallers() throws Exception {
        fake = new FakeAgent(tmp.resolve("agent.sock"), message(12, out -> {
            out.writeInt(1);
            string(out, ED25519);
            string(out, new byte[0]);
        }));
        SshAgent shared = agent();

        List<CompletableFuture<List<SshAgent.Identity>>> calls = List.of(
                CompletableFuture.supplyAsync(() -> identities(shared)),
                CompletableFuture.supplyAsync(() -> identities(shared)),
                CompletableFuture.supplyAsync(() -> identities(shared)),
                CompletableFuture.supplyAsync(() -> identities(shared)));

        for (CompletableFuture<List<SshAgent.Identity>> call : calls) {
            assertThat(call.get(10, TimeUnit.SECONDS))
                    .singleElement()
                    .extracting(SshAgent.Identity::keyType)
                    .isEqualTo("ssh-ed25519");
        }
    }

    private static List<SshAgent.Identity> identities(SshAgent agent) {
        try {
            return agent.identities();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] message(int type, Writer contents) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        out.writeByte(type);
        contents.write(out);
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        new DataOutputStream(framed).writeInt(body.size());
        body.writeTo(framed);
        return framed.toByteArray();
    }

    private static void string(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] blob(String type, byte[]... parts) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            string(out, type.getBytes(UTF_8));
            for (byte[] part : parts) {
                string(out, part);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Answers every connection's one request with {@code reply}, or with nothing when it is null;
     * keeps the first request it saw.
     */
    private static final class FakeAgent implements AutoCloseable {
        private final ServerSocketChannel server;
        private final Path socket;
        private final Thread thread;
        private final CompletableFuture<byte[]> firstRequest = new CompletableFuture<>();
        private final CountDownLatch closed = new CountDownLatch(1);

        FakeAgent(Path socket, byte[] reply) throws IOException {
            this.socket = socket;
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            thread = new Thread(() -> serve(reply), "fake-ssh-agent");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(byte[] reply) {
            while (true) {
                SocketChannel client;
                try {
                    client = server.accept();
                } catch (IOException e) {
                    return; // closed
                }
                Thread handler = new Thread(() -> answer(client, reply), "fake-ssh-agent-connection");
                handler.setDaemon(true);
                handler.start();
            }
        }

        private void answer(SocketChannel client, byte[] reply) {
            try (client) {
                ByteBuffer header = ByteBuffer.allocate(4);
                readFully(client, header);
                ByteBuffer body = ByteBuffer.allocate(header.getInt(0));
                readFully(client, body);
                ByteBuffer whole = ByteBuffer.allocate(4 + body.capacity())
                        .put(header.flip())
                        .put(body.flip());
                firstRequest.complete(whole.array());
                if (reply == null) {
                    closed.await();
                } else {
                    ByteBuffer out = ByteBuffer.wrap(reply);
                    while (out.hasRemaining()) {
                        client.write(out);
                    }
                }
            } catch (IOException e) {
                firstRequest.completeExceptionally(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    throw new IOException("the client closed the connection early");
                }
            }
        }

        byte[] request() throws Exception {
            return firstRequest.get(5, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            closed.countDown();
            server.close();
            thread.join(5000);
            Files.deleteIfExists(socket);
        }
    }
}
