package dev.tfrocketmq.host.ssh;

import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.host.HostException;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.transport.verification.PromiscuousVerifier;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AuthKeyboardInteractive;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPassword;
import net.schmizz.sshj.userauth.method.AuthPublickey;
import net.schmizz.sshj.userauth.method.PasswordResponseProvider;
import net.schmizz.sshj.userauth.password.PasswordUtils;

/** An authenticated SSH connection to a host, possibly through a jump host. */
final class SshConnection implements AutoCloseable {

    private static final List<String> CIPHER_PREFERENCE =
            List.of("aes128-gcm@openssh.com", "aes128-ctr", "aes256-gcm@openssh.com", "aes256-ctr");
    private static final List<String> MAC_PREFERENCE =
            List.of("hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com", "hmac-sha2-256", "hmac-sha2-512");
    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");
    private static final int KEEP_ALIVE_SECONDS = 15;
    private static final Log LOG = Log.named("ssh");

    private static final DefaultConfig CONFIG = createConfig();

    private final SSHClient client;
    private final SshConnection bastion;

    private SshConnection(SSHClient client, SshConnection bastion) {
        this.client = client;
        this.bastion = bastion;
    }

    /**
     * The JDK's providers instead of BouncyCastle: AES-GCM/CTR with AES-NI is about twice as fast
     * as BouncyCastle's pure-Java ChaCha20, and ed25519 needs nothing else on Java 17.
     */
    private static DefaultConfig createConfig() {
        SecurityUtils.setRegisterBouncyCastle(false);
        SecurityUtils.setSecurityProvider(null);
        DefaultConfig config = new DefaultConfig();
        config.setCipherFactories(preferring(config.getCipherFactories(), CIPHER_PREFERENCE));
        config.setMACFactories(preferring(config.getMACFactories(), MAC_PREFERENCE));
        config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        return config;
    }

    private static <T> List<Factory.Named<T>> preferring(List<Factory.Named<T>> factories, List<String> preferred) {
        List<Factory.Named<T>> sorted = new ArrayList<>(factories);
        sorted.sort(Comparator.comparingInt(factory -> {
            int rank = preferred.indexOf(factory.getName());
            return rank < 0 ? preferred.size() : rank;
        }));
        return sorted;
    }

    /** Connects and authenticates; throws {@link HostException} saying what went wrong. */
    static SshConnection open(SshSettings settings) {
        SshConnection jump = settings.bastion().map(SshConnection::open).orElse(null);
        SSHClient client = null;
        SshConnection opened = null;
        try {
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            long pauseMillis = 100;
            while (true) {
                client = newClient(settings);
                HostKeyCheck check = HostKeyCheck.forSettings(settings);
                client.addHostKeyVerifier(check != null ? check : new PromiscuousVerifier());
                try {
                    connect(client, settings, jump, check);
                    break;
                } catch (HostException e) {
                    // Stock sshd drops some unauthenticated connections at random while more than MaxStartups (10)
                    // are pending, and none while it restarts: such a refusal is tried again within the timeout.
                    if (!droppedBeforeGreeting(e) || System.nanoTime() + pauseMillis * 1_000_000L > deadline) {
                        throw e;
                    }
                    closeQuietly(client);
                    client = null;
                    sleepQuietly(pauseMillis);
                    pauseMillis = Math.min(pauseMillis * 2, 1_000);
                }
            }
            authenticate(client, settings);
            opened = new SshConnection(client, jump);
            return opened;
        } finally {
            // Whatever failed (the host-key check included), nothing of this attempt stays open: not the jump host.
            if (opened == null) {
                if (client != null) {
                    closeQuietly(client);
                }
                if (jump != null) {
                    jump.close();
                }
            }
        }
    }

    private static boolean droppedBeforeGreeting(HostException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null
                    && (message.contains("identification exchange") || message.contains("Connection reset"))) {
                return true;
            }
        }
        return false;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SSHClient newClient(SshSettings settings) {
        SSHClient client = new SSHClient(CONFIG);
        int millis = (int) settings.timeout().toMillis();
        client.setConnectTimeout(millis);
        client.getTransport().setTimeoutMs(millis);
        client.getConnection().setTimeoutMs(millis);
        client.getConnection().getKeepAlive().setKeepAliveInterval(KEEP_ALIVE_SECONDS);
        return client;
    }

    private static void connect(SSHClient client, SshSettings settings, SshConnection jump, HostKeyCheck check) {
        String endpoint = settings.endpoint();
        try {
            if (jump == null) {
                client.connect(settings.host(), settings.port());
            } else {
                DirectConnection tunnel = openTunnel(jump, settings);
                client.connectVia(tunnel);
            }
        } catch (IOException e) {
            if (check != null && check.rejection().isPresent()) {
                throw new HostException(check.rejection().get(), e);
            }
            if (isUnreachable(e)) {
                throw new HostException(
                        "cannot reach " + endpoint + via(settings) + " within " + seconds(settings) + ": "
                                + describe(e),
                        e);
            }
            throw new HostException("cannot open an SSH connection to " + settings.display() + ": " + describe(e), e);
        }
    }

    private static DirectConnection openTunnel(SshConnection jump, SshSettings settings) throws IOException {
        try {
            return jump.client.newDirectConnection(settings.host(), settings.port());
        } catch (IOException e) {
            throw new ConnectException(
                    "the jump host could not open a connection to " + settings.endpoint() + ": " + describe(e));
        }
    }

    /**
     * Offers, in this order: the private key, each key of the SSH agent, the password, and, when
     * neither private_key nor password is set, the default key files in ~/.ssh (of the client defaults).
     */
    private static void authenticate(SSHClient client, SshSettings settings) {
        List<AuthMethod> methods = new ArrayList<>();
        List<String> tried = new ArrayList<>();
        if (settings.privateKey().isPresent()) {
            try {
                methods.add(
                        new AuthPublickey(client.loadKeys(settings.privateKey().get(), null, null)));
                tried.add("private_key");
            } catch (IOException | RuntimeException e) {
                throw new HostException(
                        "the private_key for " + settings.display()
                                + " is not a readable private key ("
                                + e.getClass().getSimpleName()
                                + "); give the text of an unencrypted OpenSSH or PEM private key",
                        e);
            }
        }
        AgentOffer agent = settings.agent() ? addAgentKeys(settings, methods) : null;
        if (agent != null) {
            tried.add(agent.label());
        }
        if (settings.password().isPresent()) {
            char[] password = settings.password().get().toCharArray();
            methods.add(new AuthPassword(PasswordUtils.createOneOff(password.clone())));
            methods.add(
                    new AuthKeyboardInteractive(new PasswordResponseProvider(PasswordUtils.createOneOff(password))));
            tried.add("password");
        }
        if (settings.privateKey().isEmpty() && settings.password().isEmpty()) {
            File sshDir = settings.clientDefaults().sshDirectory().toFile();
            for (String name : DEFAULT_KEYS) {
                File key = new File(sshDir, name);
                if (key.isFile()) {
                    try {
                        methods.add(new AuthPublickey(client.loadKeys(key.getPath())));
                        tried.add(key.getPath());
                    } catch (IOException | RuntimeException e) {
                        // An unreadable default key is skipped, as ssh does.
                    }
                }
            }
        }
        if (methods.isEmpty()) {
            throw new HostException("cannot log in to " + settings.display() + ": neither"
                    + " private_key nor password is set, "
                    + (agent != null ? agent.explanation() + ", " : "")
                    + "and there is no usable key in ~/.ssh (" + String.join(", ", DEFAULT_KEYS) + ")");
        }
        try {
            client.auth(settings.user(), methods);
        } catch (UserAuthException e) {
            throw new HostException(
                    "authentication of " + settings.user() + "@" + settings.endpoint()
                            + " failed; tried " + String.join(", ", tried) + "; the server allows: "
                            + String.join(",", client.getUserAuth().getAllowedMethods())
                            + agentFailure(e).map(cause -> "; " + cause).orElse(""),
                    e);
        } catch (IOException e) {
            throw new HostException(
                    "the SSH connection to " + settings.display() + " broke during authentication: " + describe(e), e);
        }
    }

    /**
     * What the agent offered: {@code label} for the list of methods tried, {@code "agent (2 keys)"},
     * and {@code explanation} for when nothing else is left to try.
     */
    private record AgentOffer(String label, String explanation) {}

    /**
     * Adds a method per key of the agent. An agent that is not configured, not reachable or not
     * answering is skipped, noted at debug level.
     */
    private static AgentOffer addAgentKeys(SshSettings settings, List<AuthMethod> methods) {
        String socket = settings.agentSocket()
                .or(() -> settings.clientDefaults().agentSocket())
                .orElse(null);
        if (socket == null || socket.isBlank()) {
            LOG.debug("no SSH agent: " + SshAgent.SOCKET_VARIABLE + " is not set", "host", settings.display());
            return null;
        }
        SshAgent agent;
        List<SshAgent.Identity> keys;
        try {
            agent = new SshAgent(Path.of(socket), settings.timeout());
            keys = agent.identities();
        } catch (IOException | RuntimeException e) {
            LOG.debug("skipping the SSH agent", "host", settings.display(), "socket", socket, "error", describe(e));
            return e instanceof SshAgent.UnreachableException
                    ? new AgentOffer("agent (unreachable)", "the SSH agent at " + socket + " is unreachable")
                    : new AgentOffer("agent (unusable)", describe(e));
        }
        for (SshAgent.Identity key : keys) {
            methods.add(new AgentAuthMethod(agent, key));
        }
        LOG.debug(
                "the SSH agent offers " + keys.size() + " keys",
                "host",
                settings.display(),
                "socket",
                socket,
                "keys",
                keys.toString());
        String count = keys.size() + (keys.size() == 1 ? " key" : " keys");
        return new AgentOffer(
                "agent (" + count + ")",
                "the SSH agent at " + socket + " holds " + (keys.isEmpty() ? "no keys" : count));
    }

    /** The agent's own failure, if that is what ended authentication. */
    private static Optional<String> agentFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SshAgent.RefusedException || t instanceof SshAgent.UnreachableException) {
                return Optional.of(describe(t));
            }
        }
        return Optional.empty();
    }

    SSHClient client() {
        return client;
    }

    /** Whether the transport (and that of the jump host) is still up and authenticated. */
    boolean isAlive() {
        return client.isConnected() && client.isAuthenticated() && (bastion == null || bastion.isAlive());
    }

    @Override
    public void close() {
        closeQuietly(client);
        if (bastion != null) {
            bastion.close();
        }
    }

    private static void closeQuietly(SSHClient client) {
        try {
            client.disconnect();
        } catch (IOException | RuntimeException e) {
            // The connection is being dropped anyway.
        }
    }

    private static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException
                    || t instanceof ConnectException
                    || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    private static String via(SshSettings settings) {
        return settings.bastion().map(jump -> " via " + jump.display()).orElse("");
    }

    private static String seconds(SshSettings settings) {
        long millis = settings.timeout().toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
