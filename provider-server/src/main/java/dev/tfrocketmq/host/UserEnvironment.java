package dev.tfrocketmq.host;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The environment of the user running Terraform: home directory, working directory and environment variables. Every
 * default that depends on the user ({@code ~/.ssh}, {@code $SSH_AUTH_SOCK}, relative paths) is taken from here, so
 * that one backend can serve users with different environments.
 *
 * @param home             the user's home directory ({@code ~})
 * @param workingDirectory where Terraform runs; relative paths in the configuration start here
 * @param variables        environment variables
 */
public record UserEnvironment(Path home, Path workingDirectory, Map<String, String> variables) {

    public UserEnvironment {
        home = requireNonNull(home, "home").toAbsolutePath().normalize();
        workingDirectory = requireNonNull(workingDirectory, "workingDirectory")
                .toAbsolutePath()
                .normalize();
        variables = Map.copyOf(requireNonNull(variables, "variables"));
    }

    /** The environment this JVM was started with. */
    public static UserEnvironment fromProcess() {
        return new UserEnvironment(
                Path.of(System.getProperty("user.home", "/")),
                Path.of(System.getProperty("user.dir", "/")),
                System.getenv());
    }

    /** A variable's value; empty when it is unset or blank. */
    public Optional<String> variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** {@code ~} and {@code ~/rest} with the home directory put in; other text as it is. */
    public String expandHome(String path) {
        if (path.equals("~")) {
            return home.toString();
        }
        return path.startsWith("~/") ? home.resolve(path.substring(2)).toString() : path;
    }

    /** A local path as the user means it: {@code ~/} from the home directory, relative from the working directory. */
    public Path resolve(String path) {
        return workingDirectory.resolve(expandHome(path)).normalize();
    }

    /** Names the directories only: variables may hold secrets. */
    @Override
    public String toString() {
        return "UserEnvironment[home=" + home + ", workingDirectory=" + workingDirectory + ", " + variables.size()
                + " variables]";
    }
}
