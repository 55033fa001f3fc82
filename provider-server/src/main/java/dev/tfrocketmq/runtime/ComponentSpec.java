package dev.tfrocketmq.runtime;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One long-running process and the files it needs, all in one component directory on a host.
 *
 * @param dir         absolute component directory, e.g. {@code /opt/rocketmq/broker-10911}
 * @param configFiles file name to content, written into {@code <dir>/conf/} and copied into
 *                    {@code <dir>/run/} at every start
 * @param command     the full argv of the process; it must mention {@code dir} (e.g. in
 *                    {@code -Duser.home=<dir>/home}) so that the process can be recognised
 * @param environment variables exported to the process
 */
public record ComponentSpec(
        String dir, Map<String, byte[]> configFiles, List<String> command, Map<String, String> environment) {

    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public ComponentSpec {
        dir = RemotePath.checkAbsolute("component directory", dir, 2);
        configFiles = copyFiles(configFiles);
        command = List.copyOf(requireNonNull(command, "command"));
        environment = copyEnvironment(environment);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("the command of " + dir + " is empty");
        }
        String mentioned = dir;
        if (command.stream().noneMatch(arg -> mentionsDir(arg, mentioned))) {
            throw new IllegalArgumentException("the command of " + dir + " must mention the component"
                    + " directory (e.g. -Duser.home=" + dir + "/home) so its process can be recognised");
        }
    }

    /** Whether {@code text} contains {@code dir} followed by the end, '/', or a separator. */
    static boolean mentionsDir(String text, String dir) {
        for (int at = text.indexOf(dir); at >= 0; at = text.indexOf(dir, at + 1)) {
            int end = at + dir.length();
            if (end == text.length()) {
                return true;
            }
            char next = text.charAt(end);
            if (next == '/' || next == '\n' || next == ' ' || next == ':' || next == ',') {
                return true;
            }
        }
        return false;
    }

    private static Map<String, byte[]> copyFiles(Map<String, byte[]> files) {
        requireNonNull(files, "configFiles");
        Map<String, byte[]> copy = new TreeMap<>();
        files.forEach((name, content) -> {
            if (!FILE_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException(
                        "config file names may contain only letters, digits," + " '.', '_' and '-': " + name);
            }
            copy.put(name, requireNonNull(content, name).clone());
        });
        return Collections.unmodifiableMap(copy);
    }

    private static Map<String, String> copyEnvironment(Map<String, String> environment) {
        requireNonNull(environment, "environment");
        Map<String, String> copy = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (!VARIABLE.matcher(name).matches()) {
                throw new IllegalArgumentException("not a valid environment variable name: " + name);
            }
            copy.put(name, requireNonNull(value, name));
        });
        return Collections.unmodifiableMap(copy);
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ComponentSpec that)) {
            return false;
        }
        if (!dir.equals(that.dir)
                || !command.equals(that.command)
                || !environment.equals(that.environment)
                || !configFiles.keySet().equals(that.configFiles.keySet())) {
            return false;
        }
        return configFiles.entrySet().stream()
                .allMatch(entry -> Arrays.equals(entry.getValue(), that.configFiles.get(entry.getKey())));
    }

    @Override
    public int hashCode() {
        int hash = dir.hashCode();
        hash = 31 * hash + command.hashCode();
        hash = 31 * hash + environment.hashCode();
        for (Map.Entry<String, byte[]> entry : configFiles.entrySet()) {
            hash = 31 * hash + entry.getKey().hashCode() + Arrays.hashCode(entry.getValue());
        }
        return hash;
    }

    @Override
    public String toString() {
        return "ComponentSpec[dir=" + dir + ", configFiles=" + configFiles.keySet() + ", command=" + command
                + ", environment=" + environment.keySet() + "]";
    }
}
