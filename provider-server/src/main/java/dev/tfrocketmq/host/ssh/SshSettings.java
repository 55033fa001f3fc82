package dev.tfrocketmq.host.ssh;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * How to reach a host over SSH.
 *
 * @param host                  address or name of the SSH server
 * @param port                  its port, usually 22
 * @param user                  login user
 * @param privateKey            private key text (OpenSSH or PEM); sensitive
 * @param password              password; sensitive
 * @param hostKey               the expected host key as a public key line,
 *                              {@code "ssh-ed25519 AAAA..."}; takes precedence over known_hosts
 * @param knownHostsFile        known_hosts file to verify the host key against; default
 *                              {@code ~/.ssh/known_hosts}
 * @param insecureIgnoreHostKey accept any host key
 * @param timeout               limit for connecting and for each request-response exchange
 * @param sudo                  run every command through {@code sudo -n}
 * @param bastion               jump host to connect through, with its own settings
 * @param agent                 also offer the keys of the SSH agent, after {@code privateKey}
 * @param agentSocket           the agent's unix socket; default {@code $SSH_AUTH_SOCK} of {@code clientDefaults}
 * @param clientDefaults        the home directory and agent socket of the user running Terraform, for what the
 *                              settings leave open
 */
public record SshSettings(
        String host,
        int port,
        String user,
        Optional<String> privateKey,
        Optional<String> password,
        Optional<String> hostKey,
        Optional<String> knownHostsFile,
        boolean insecureIgnoreHostKey,
        Duration timeout,
        boolean sudo,
        Optional<SshSettings> bastion,
        boolean agent,
        Optional<String> agentSocket,
        SshClientDefaults clientDefaults) {

    private static final String SENSITIVE = "<sensitive>";

    public SshSettings {
        requireNonNull(host, "host");
        requireNonNull(user, "user");
        requireNonNull(privateKey, "privateKey");
        requireNonNull(password, "password");
        requireNonNull(hostKey, "hostKey");
        requireNonNull(knownHostsFile, "knownHostsFile");
        requireNonNull(timeout, "timeout");
        requireNonNull(bastion, "bastion");
        requireNonNull(agentSocket, "agentSocket");
        requireNonNull(clientDefaults, "clientDefaults");
        if (host.isBlank()) {
            throw new IllegalArgumentException("the SSH host must not be empty");
        }
        if (user.isBlank()) {
            throw new IllegalArgumentException("the SSH user must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the SSH port must be between 1 and 65535: " + port);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the SSH timeout must be positive: " + timeout);
        }
        if (timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the SSH timeout is too long: " + timeout);
        }
        hostKey.ifPresent(HostKeyCheck::parseKeyLine);
    }

    /** Settings with the defaults of the user this JVM runs as. */
    public SshSettings(
            String host,
            int port,
            String user,
            Optional<String> privateKey,
            Optional<String> password,
            Optional<String> hostKey,
            Optional<String> knownHostsFile,
            boolean insecureIgnoreHostKey,
            Duration timeout,
            boolean sudo,
            Optional<SshSettings> bastion,
            boolean agent,
            Optional<String> agentSocket) {
        this(
                host,
                port,
                user,
                privateKey,
                password,
                hostKey,
                knownHostsFile,
                insecureIgnoreHostKey,
                timeout,
                sudo,
                bastion,
                agent,
                agentSocket,
                SshClientDefaults.ofProcess());
    }

    /** Settings without the SSH agent. */
    public SshSettings(
            String host,
            int port,
            String user,
            Optional<String> privateKey,
            Optional<String> password,
            Optional<String> hostKey,
            Optional<String> knownHostsFile,
            boolean insecureIgnoreHostKey,
            Duration timeout,
            boolean sudo,
            Optional<SshSettings> bastion) {
        this(
                host,
                port,
                user,
                privateKey,
                password,
                hostKey,
                knownHostsFile,
                insecureIgnoreHostKey,
                timeout,
                sudo,
                bastion,
                false,
                Optional.empty());
    }

    /** Settings with key authentication, known_hosts verification and no bastion. */
    public static SshSettings of(String host, int port, String user, String privateKey, Duration timeout) {
        return new SshSettings(
                host,
                port,
                user,
                Optional.of(privateKey),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                false,
                timeout,
                false,
                Optional.empty());
    }

    public SshSettings withHostKey(String line) {
        return new SshSettings(
                host,
                port,
                user,
                privateKey,
                password,
                Optional.of(line),
                knownHostsFile,
                insecureIgnoreHostKey,
                timeout,
                sudo,
                bastion,
                agent,
                agentSocket,
                clientDefaults);
    }

    public SshSettings withKnownHostsFile(String file) {
        return new SshSettings(
                host,
                port,
                user,
                privateKey,
                password,
                hostKey,
                Optional.of(file),
                insecureIgnoreHostKey,
                timeout,
                sudo,
                bastion,
                agent,
                agentSocket,
                clientDefaults);
    }

    public SshSettings withInsecureIgnoreHostKey(boolean ignore) {
        return new SshSettings(
                host,
                port,
                user,
                privateKey,
                password,
                hostKey,
                knownHostsFile,
                ignore,
                timeout,
                sudo,
                bastion,
                agent,
                agentSocket,
                clientDefaults);
    }

    public SshSettings withPrivateKey(String key) {
        return new SshSettings(
                host,
                port,
                user,
                Optional.of(key),
                password,
                hostKey,
                knownHostsFile,
                insecureIgnoreHostKey,
                timeout,
                sudo,
                bastion,
                agent,
                agentSocket,
                clientDefaults);
    }

    public SshSettings withTimeout(Duration newTimeout) {
        return new SshSettings(
                host,
                port,
                user,
                privateKey,
                password,
                hostKey,
                knownHostsFile,
                insecureIgnoreHostKey,
                newTimeout,
                sudo,
                bastion,
                agent,
                agentSocket,
                clientDefaults);
    }

    public SshSettings withBastion(SshSettings jump) {
        return new SshSettings(
                host,
                port,
                user,
                privateKey,
                password,
                hostKey,
                knownHostsFile,
                insecureIgnoreHostKey,
                timeout,
                sudo,
                Optional.of(jump),
                agent,
                agentSocket,
                clientDefaults);
    }

    /** With or without the SSH agent at {@code $SSH_AUTH_SOCK} (or {@link #agentSocket}). */
    public SshSettings withAgent(boolean useAgent) {
        return new SshSettings(
                host,
                port,
                user,
                privateKey,
                password,
                hostKey,
                knownHostsFile,
                insecureIgnoreHostKey,
                timeout,
                sudo,
                bastion,
                useAgent,
                agentSocket,
                clientDefaults);
    }

    /** Uses the SSH agent listening on {@code socket} instead of {@code $SSH_AUTH_SOCK}. */
    public SshSettings withAgentSocket(String socket) {
        return new SshSettings(
                host,
                port,
                user,
                privateKey,
                password,
                hostKey,
                knownHostsFile,
                insecureIgnoreHostKey,
                timeout,
                sudo,
                bastion,
                true,
                Optional.of(socket),
                clientDefaults);
    }

    /** With the home directory and agent socket of another user's environment. */
    public SshSettings withClientDefaults(SshClientDefaults defaults) {
        return new SshSettings(
                host,
                port,
                user,
                privateKey,
                password,
                hostKey,
                knownHostsFile,
                insecureIgnoreHostKey,
                timeout,
                sudo,
                bastion,
                agent,
                agentSocket,
                defaults);
    }

    /** {@code host:port}. */
    public String endpoint() {
        return host + ":" + port;
    }

    /** {@code user@host:port}, followed by {@code via user@bastion:port} for a jump host. */
    public String display() {
        String self = user + "@" + endpoint();
        return bastion.map(jump -> self + " via " + jump.display()).orElse(self);
    }

    @Override
    public String toString() {
        return "SshSettings[host=" + host + ", port=" + port + ", user=" + user
                + ", privateKey=" + privateKey.map(key -> SENSITIVE)
                + ", password=" + password.map(secret -> SENSITIVE)
                + ", hostKey=" + hostKey + ", knownHostsFile=" + knownHostsFile
                + ", insecureIgnoreHostKey=" + insecureIgnoreHostKey + ", timeout=" + timeout
                + ", sudo=" + sudo + ", agent=" + agent
                + agentSocket.map(socket -> " (" + socket + ")").orElse("") + ", bastion=" + bastion + "]";
    }
}
