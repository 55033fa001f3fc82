package dev.tfrocketmq.process;

import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.host.ExecResult;
import dev.tfrocketmq.host.Host;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the java executable on a host and checks that it is 17 or newer, before anything is started. */
final class JavaCheck {
    static final int MINIMUM = 17;
    private static final Pattern VERSION = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?");
    private static final String SCRIPT = """
            j=$1
            if [ -z "$j" ]; then j=$(command -v java) || { echo missing; exit 0; }; fi
            if [ ! -x "$j" ]; then echo "notexecutable $j"; exit 0; fi
            v=$("$j" -version 2>&1 | head -n 1)
            echo "found $j"
            echo "$v"
            """;

    private JavaCheck() {}

    /**
     * The java executable to launch with. On the local machine without a configured home, the Java running the
     * provider (already 17+). Otherwise java_home/bin/java or the host's {@code java}, version-checked.
     */
    static String resolve(Host host, Optional<String> javaHome, boolean local) {
        if (local && javaHome.isEmpty()) {
            return System.getProperty("java.home") + "/bin/java";
        }
        String wanted = javaHome.map(h -> h + "/bin/java").orElse("");
        ExecResult r = host.exec(List.of("sh", "-c", SCRIPT, "sh", wanted), Duration.ofSeconds(30));
        String[] lines = r.stdout().strip().split("\n");
        String where = javaHome.map(h -> "java_home " + h).orElse("the host's PATH");
        if (!r.ok() || lines.length == 0 || lines[0].equals("missing") || lines[0].startsWith("notexecutable")) {
            throw new OperatorException(
                    "Java not found on " + host.name(),
                    "No usable java in " + where + " on " + host.name() + " ("
                            + r.stdout().strip() + r.stderrTail(3) + "). Install Java " + MINIMUM
                            + " or newer there, or set java_home to its directory.");
        }
        String executable = lines[0].substring("found ".length());
        int major = major(lines.length > 1 ? lines[1] : "");
        if (major < MINIMUM) {
            throw new OperatorException(
                    "Java on " + host.name() + " is too old",
                    executable + " on " + host.name() + " reports \"" + (lines.length > 1 ? lines[1] : "?")
                            + "\"; RocketMQ 5 needs Java " + MINIMUM + " or newer here. Install it and set java_home.");
        }
        return executable;
    }

    /** Major version from a {@code java -version} first line; 0 if unreadable. 1.8 counts as 8. */
    static int major(String line) {
        Matcher m = VERSION.matcher(line);
        if (!m.find()) {
            return 0;
        }
        int first = Integer.parseInt(m.group(1));
        return first == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : first;
    }
}
