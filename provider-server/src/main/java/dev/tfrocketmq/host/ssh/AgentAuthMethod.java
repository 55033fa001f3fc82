package dev.tfrocketmq.host.ssh;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.AuthParams;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;

/**
 * The {@code publickey} method (RFC 4252, section 7) for one key held by an SSH agent: the request
 * carries the agent's public key blob, and the agent signs the session id followed by the
 * request. As with sshj's own publickey method, a request without signature asks first whether
 * the server would accept the key, and an RSA key is retried with each signature algorithm the
 * server allows (rsa-sha2-512, rsa-sha2-256, ssh-rsa).
 *
 * <p>sshj calls {@link #request} and {@link #handle} under its authentication lock, which also
 * guards {@link #algorithms}.
 */
final class AgentAuthMethod extends AbstractAuthMethod {

    private final SshAgent agent;
    private final SshAgent.Identity identity;
    private Queue<String> algorithms;

    AgentAuthMethod(SshAgent agent, SshAgent.Identity identity) {
        super("publickey");
        this.agent = agent;
        this.identity = identity;
    }

    @Override
    public void init(AuthParams params) {
        super.init(params);
        algorithms = null;
    }

    @Override
    public void handle(Message msg, SSHPacket buf) throws UserAuthException, TransportException {
        if (msg == Message.USERAUTH_60) { // SSH_MSG_USERAUTH_PK_OK: the key would do
            sendSignedRequest();
        } else {
            super.handle(msg, buf);
        }
    }

    @Override
    public boolean shouldRetry() {
        if (algorithms == null) {
            return false;
        }
        algorithms.poll();
        return !algorithms.isEmpty();
    }

    /** The query without signature. */
    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        return buildReq(false);
    }

    private SSHPacket buildReq(boolean signed) throws UserAuthException {
        log.debug("Attempting authentication using the agent key {}", identity);
        SSHPacket request = super.buildReq();
        request.putBoolean(signed);
        request.putString(algorithm());
        request.putString(identity.blob());
        return request;
    }

    private void sendSignedRequest() throws UserAuthException, TransportException {
        String algorithm = algorithm();
        SSHPacket request = buildReq(true);
        byte[] signedData = new Buffer.PlainBuffer()
                .putString(params.getTransport().getSessionID())
                .putBuffer(request)
                .getCompactData();
        byte[] signature;
        try {
            signature = agent.sign(identity.blob(), signedData, SshAgent.flagsFor(algorithm));
        } catch (IOException e) {
            throw new UserAuthException(
                    "the SSH agent did not sign with " + identity + " (" + algorithm + "): "
                            + SshConnection.describe(e),
                    e);
        }
        request.putString(signature);
        params.getTransport().write(request);
    }

    /** The signature algorithm being tried: the first the server allows for the key's type. */
    private String algorithm() throws UserAuthException {
        if (algorithms == null) {
            List<String> names = new ArrayList<>();
            KeyType type = KeyType.fromString(identity.keyType());
            if (type != KeyType.UNKNOWN) {
                try {
                    params.getTransport()
                            .getClientKeyAlgorithms(type)
                            .forEach(algorithm -> names.add(algorithm.getKeyAlgorithm()));
                } catch (TransportException e) {
                    throw new UserAuthException("cannot choose a signature algorithm for " + identity, e);
                }
            }
            if (names.isEmpty()) {
                names.add(identity.keyType());
            }
            algorithms = new ArrayDeque<>(names);
        }
        return algorithms.peek();
    }

    @Override
    public String toString() {
        return "agent key " + identity;
    }
}
