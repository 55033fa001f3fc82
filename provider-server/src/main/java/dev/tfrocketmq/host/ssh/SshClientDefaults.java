package dev.tfrocketmq.host.ssh;

import static java.util.Objects.requireNonNull;

import dev.tfrocketmq.host.UserEnvironment;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the user running Terraform supplies where SSH settings leave something open: the default keys and
 * known_hosts file in {@code ~/.ssh}, and the agent at {@code $SSH_AUTH_SOCK}.
 *
 * @param home        the user's home directory
 * @param agentSocket the value of {@code SSH_AUTH_SOCK}, if set
 */
public record SshClientDefaults(Path home, Optional<String> agentSocket) {

    public SshClientDefaults {
        requireNonNull(home, "home");
        requireNonNull(agentSocket, "agentSocket");
    }

    public static SshClientDefaults of(UserEnvironment environment) {
        return new SshClientDefaults(environment.home(), environment.variable(SshAgent.SOCKET_VARIABLE));
    }

    /** The defaults of the user this JVM runs as. */
    public static SshClientDefaults ofProcess() {
        return of(UserEnvironment.fromProcess());
    }

    /** {@code ~/.ssh}. */
    public Path sshDirectory() {
        return home.resolve(".ssh");
    }
}
