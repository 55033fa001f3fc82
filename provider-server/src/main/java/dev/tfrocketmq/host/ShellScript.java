package dev.tfrocketmq.host;

import java.util.ArrayList;
import java.util.List;

/**
 * The argv that runs a constant script with positional arguments: {@code /bin/sh -c script sh $1 ...}. Strings from
 * the configuration travel as arguments, never as script text (for quoting a word into a command line, see
 * {@link ShellQuote}).
 */
public final class ShellScript {

    private ShellScript() {}

    public static List<String> argv(String script, String... args) {
        List<String> argv = new ArrayList<>(4 + args.length);
        argv.add("/bin/sh");
        argv.add("-c");
        argv.add(script);
        argv.add("sh");
        argv.addAll(List.of(args));
        return List.copyOf(argv);
    }
}
