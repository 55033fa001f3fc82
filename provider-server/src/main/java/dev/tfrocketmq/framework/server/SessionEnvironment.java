package dev.tfrocketmq.framework.server;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The environment of the Terraform run a session serves, as its launcher saw it: the working directory (relative paths
 * in the configuration are resolved against it) and the variables that matter to the provider. A backend shared by
 * many runs must take these from the session, never from its own process, which some other run started.
 */
public record SessionEnvironment(Path workingDirectory, Map<String, String> variables) {
    public SessionEnvironment {
        workingDirectory = workingDirectory.toAbsolutePath().normalize();
        variables = Map.copyOf(new TreeMap<>(variables));
    }

    /** The environment of this process: for a backend that serves only the launcher that started it. */
    public static SessionEnvironment ofProcess() {
        return new SessionEnvironment(Path.of(System.getProperty("user.dir")), System.getenv());
    }

    public Optional<String> variable(String name) {
        String value = variables.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** {@code HOME}, else the home directory of the backend's user. */
    public Path home() {
        return Path.of(variable("HOME").orElseGet(() -> System.getProperty("user.home", "/")));
    }
}
