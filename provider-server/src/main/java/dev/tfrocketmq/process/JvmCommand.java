package dev.tfrocketmq.process;

import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.runtime.InstalledDistribution;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a RocketMQ JVM: heap, module openings, the user's options, a home directory of its own inside
 * the component directory (which also lets the process be recognised), RocketMQ's home and logback config, the
 * distribution's jars and the main class with its config file.
 */
final class JvmCommand {
    private JvmCommand() {}

    static List<String> of(
            String java, Value planned, String home, InstalledDistribution dist, ProcessKind.JvmMain main) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        String heap = planned.attribute("jvm_heap").asString();
        cmd.add("-Xms" + heap);
        cmd.add("-Xmx" + heap);
        // Needed by RocketMQ 4.x on Java 17 (mmap cleaner); harmless for 5.x.
        cmd.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
        cmd.add("--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED");
        cmd.add("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
        Value options = planned.attribute("jvm_options");
        if (!options.isNull()) {
            options.elements().forEach(o -> cmd.add(o.asString()));
        }
        cmd.add("-Duser.home=" + home + "/home");
        cmd.add("-Drocketmq.home.dir=" + dist.home());
        cmd.add("-Drmq.logback.configurationFile=" + main.logbackConfig());
        cmd.add("-cp");
        cmd.add(dist.libDir() + "/*");
        cmd.add(main.mainClass());
        cmd.add(main.configOption());
        cmd.add(home + "/run/" + main.configFile());
        return List.copyOf(cmd);
    }
}
