package dev.tfrocketmq.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tfrocketmq.host.ShellQuote;
import java.util.Map;

/**
 * Renders {@code <dir>/launch.sh}: the same spec always gives the same bytes.
 *
 * <p>The script appends its own output to {@code logs/console.log}, copies {@code conf/} over
 * {@code run/}, records its pid in {@code pid} and then becomes the component's process.
 */
final class LaunchScript {

    private LaunchScript() {}

    static byte[] render(ComponentSpec spec) {
        String dir = ShellQuote.quote(spec.dir());
        StringBuilder script = new StringBuilder()
                .append("#!/bin/sh\n")
                .append("# Starts the component in ")
                .append(spec.dir())
                .append(". Rewritten on every apply.\n")
                .append("exec </dev/null >>")
                .append(ShellQuote.quote(spec.dir() + "/logs/console.log"))
                .append(" 2>&1\n")
                .append("cd ")
                .append(dir)
                .append(" || exit 1\n")
                .append("printf '%s launch.sh: starting as pid %s\\n' \"$(date '+%Y-%m-%d %H:%M:%S')\"" + " \"$$\"\n")
                .append("cp -R conf/. run/ || exit 1\n")
                .append("echo \"$$\" >pid.tmp && mv -f pid.tmp pid || exit 1\n");
        for (Map.Entry<String, String> variable : spec.environment().entrySet()) {
            script.append("export ")
                    .append(variable.getKey())
                    .append('=')
                    .append(ShellQuote.quote(variable.getValue()))
                    .append('\n');
        }
        script.append("exec ").append(ShellQuote.join(spec.command())).append('\n');
        return script.toString().getBytes(UTF_8);
    }
}
