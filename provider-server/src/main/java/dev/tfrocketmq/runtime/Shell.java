package dev.tfrocketmq.runtime;

import java.util.ArrayList;
import java.util.List;

/** Argv for running a constant script with positional arguments: {@code sh -c script sh $1 ...}. */
final class Shell {

    private Shell() {}

    static List<String> script(String script, String... args) {
        List<String> argv = new ArrayList<>(4 + args.length);
        argv.add("/bin/sh");
        argv.add("-c");
        argv.add(script);
        argv.add("sh");
        argv.addAll(List.of(args));
        return List.copyOf(argv);
    }
}
