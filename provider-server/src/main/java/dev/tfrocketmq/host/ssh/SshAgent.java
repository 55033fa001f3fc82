package dev.tfrocketmq.host.ssh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A minimal client of an OpenSSH-compatible key agent (draft-miller-ssh-agent) on a unix domain
 * socket: it lists the agent's identities and asks it to sign. Every request opens its own
 * connection, so one instance may be used from any number of threads. Key blobs, data to sign
 * and signatures are never put into exception messages.
 */
final class SshAgent {

    static final String SOCKET_VARIABLE = "SSH_AUTH_SOCK";

    static final byte SSH_AGENT_FAILURE = 5;
    static final byte SSH2_AGENTC_REQUEST_IDENTITIES = 11;
    static final byte SSH2_AGENT_IDENTITIES_ANSWER = 12;
    static final byte SSH2_AGENTC_SIGN_REQUEST = 13;
    static final byte SSH2_AGENT_SIGN_RESPONSE = 14;
    static final byte SSH_AGENT_EXTENSION_FAILURE = 28;
    static final byte SSH_COM_AGENT2_FAILURE = 102;

    static final int SSH_AGENT_RSA_SHA2_256 = 2;
    static final int SSH_AGENT_RSA_SHA2_512 = 4;

    /** OpenSSH's agent refuses messages above 256 KiB; so do we. */
    static final int MAX_MESSAGE = 256 * 1024;

    private final Path socket;
    private final Duration timeout;

    SshAgent(Path socket, Duration timeout) {
        this.socket = requireNonNull(socket, "socket");
        this.timeout = requireNonNull(timeout, "timeout");
    }

    Path socket() {
        return socket;
    }

    /** A key the agent holds. The blob is the public key in SSH wire format. */
    record Identity(byte[] blob, String comment, String keyType) {

        Identity {
            blob = blob.clone();
        }

        @Override
        public byte[] blob() {
            return blob.clone();
        }

        /** The key type and the agent's comment for it; never the key itself. */
        @Override
        public String toString() {
            return comment.isEmpty() ? keyType : keyType + " " + comment;
        }
    }

    /** The agent cannot be reached: no socket, nothing listening, or permission denied. */
    static final class UnreachableException extends IOException {
        UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The agent answered {@code SSH_AGENT_FAILURE} or something that is not the expected reply. */
    static final class RefusedException extends IOException {
        RefusedException(String message) {
            super(message);
        }
    }

    /** The keys the agent offers, in its order. */
    List<Identity> identities() throws IOException {
        ByteBuffer reply =
                exchange(SSH2_AGENTC_REQUEST_IDENTITIES, new byte[0], SSH2_AGENT_IDENTITIES_ANSWER, "list its keys");
        try {
            long count = Integer.toUnsignedLong(reply.getInt());
            if (count > MAX_MESSAGE / 8) {
                throw new IOException("the SSH agent at " + socket + " claims " + count + " keys");
            }
            List<Identity> keys = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                byte[] blob = readString(reply);
                String comment = new String(readString(reply), UTF_8);
                keys.add(new Identity(blob, comment, keyType(blob)));
            }
            return Collections.unmodifiableList(keys);
        } catch (BufferUnderflowException e) {
            throw malformed("list of keys");
        }
    }

    /**
     * Asks the agent to sign {@code data} with the key {@code blob}; {@code flags} selects the RSA
     * signature algorithm ({@link #flagsFor}). Returns the signature as the agent encodes it,
     * {@code string algorithm, string signature}, ready to be put into a request as one string.
     */
    byte[] sign(byte[] blob, byte[] data, int flags) throws IOException {
        ByteBuffer request = ByteBuffer.allocate(4 + blob.length + 4 + data.length + 4);
        request.putInt(blob.length).put(blob).putInt(data.length).put(data).putInt(flags);
        ByteBuffer reply = exchange(SSH2_AGENTC_SIGN_REQUEST, request.array(), SSH2_AGENT_SIGN_RESPONSE, "sign");
        try {
            return readString(reply);
        } catch (BufferUnderflowException e) {
            throw malformed("signature");
        }
    }

    /** The sign request flags for a public key algorithm: which RSA hash, none for others. */
    static int flagsFor(String algorithm) {
        return switch (algorithm) {
            case "rsa-sha2-256", "rsa-sha2-256-cert-v01@openssh.com" -> SSH_AGENT_RSA_SHA2_256;
            case "rsa-sha2-512", "rsa-sha2-512-cert-v01@openssh.com" -> SSH_AGENT_RSA_SHA2_512;
            default -> 0;
        };
    }

    /** The key type name a public key blob starts with, e.g. {@code ssh-ed25519}. */
    static String keyType(byte[] blob) throws IOException {
        try {
            return new String(readString(ByteBuffer.wrap(blob)), UTF_8);
        } catch (BufferUnderflowException e) {
            throw new IOException("the SSH agent returned a key that is not an SSH public key blob");
        }
    }

    private IOException malformed(String what) {
        return new IOException("the SSH agent at " + socket + " sent a malformed " + what);
    }

    private static byte[] readString(ByteBuffer buffer) {
        long length = Integer.toUnsignedLong(buffer.getInt());
        if (length > buffer.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] bytes = new byte[(int) length];
        buffer.get(bytes);
        return bytes;
    }

    /** Sends one message and returns the contents of the reply, after its type byte. */
    private ByteBuffer exchange(byte type, byte[] contents, byte expected, String action) throws IOException {
        ByteBuffer request = ByteBuffer.allocate(4 + 1 + contents.length);
        request.putInt(1 + contents.length).put(type).put(contents).flip();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            SelectionKey key = channel.register(selector, 0);
            try {
                if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
                    await(selector, key, SelectionKey.OP_CONNECT, deadline, action);
                    channel.finishConnect();
                }
            } catch (IOException e) {
                throw new UnreachableException(
                        "cannot connect to the SSH agent at " + socket + ": " + SshConnection.describe(e), e);
            }
            while (request.hasRemaining()) {
                if (channel.write(request) == 0) {
                    await(selector, key, SelectionKey.OP_WRITE, deadline, action);
                }
            }
            ByteBuffer header = ByteBuffer.allocate(4);
            read(channel, selector, key, header, deadline, action);
            long length = Integer.toUnsignedLong(header.getInt(0));
            if (length < 1 || length > MAX_MESSAGE) {
                throw new IOException("the SSH agent at " + socket + " sent a reply of " + length + " bytes");
            }
            ByteBuffer reply = ByteBuffer.allocate((int) length);
            read(channel, selector, key, reply, deadline, action);
            reply.flip();
            byte answer = reply.get();
            if (answer == expected) {
                return reply.slice();
            }
            if (answer == SSH_AGENT_FAILURE
                    || answer == SSH_AGENT_EXTENSION_FAILURE
                    || answer == SSH_COM_AGENT2_FAILURE) {
                throw new RefusedException("the SSH agent at " + socket + " refused to " + action);
            }
            throw new RefusedException("the SSH agent at " + socket + " answered message type " + (answer & 0xff)
                    + " when asked to " + action);
        }
    }

    private void read(
            SocketChannel channel, Selector selector, SelectionKey key, ByteBuffer buffer, long deadline, String action)
            throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer);
            if (n < 0) {
                throw new IOException(
                        "the SSH agent at " + socket + " closed the connection when asked" + " to " + action);
            }
            if (n == 0) {
                await(selector, key, SelectionKey.OP_READ, deadline, action);
            }
        }
    }

    private void await(Selector selector, SelectionKey key, int operation, long deadline, String action)
            throws IOException {
        key.interestOps(operation);
        try {
            while (true) {
                long millis = (deadline - System.nanoTime()) / 1_000_000;
                if (millis <= 0) {
                    throw new IOException("the SSH agent at " + socket + " did not answer within " + timeout.toMillis()
                            + " ms when asked to " + action);
                }
                if (selector.select(millis) > 0) {
                    selector.selectedKeys().clear();
                    if ((key.readyOps() & operation) != 0) {
                        return;
                    }
                }
            }
        } finally {
            if (key.isValid()) {
                key.interestOps(0);
            }
        }
    }

    @Override
    public String toString() {
        return "SshAgent[" + socket + "]";
    }
}
