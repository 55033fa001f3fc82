package dev.tfrocketmq.process;

import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.runtime.InstalledDistribution;
import dev.tfrocketmq.runtime.RocketMqVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line of a RocketMQ JVM: heap, the flags its version needs, the user's options, a home directory of its
 * own inside the component directory (which also lets the process be recognised), RocketMQ's home, the distribution's
 * jars and the main class with its config file.
 *
 * <p>4.x on Java 17 needs {@code --add-opens} to unmap its files, and reads {@code conf/logback_<role>.xml} from
 * RocketMQ's home (named here too, so that what it logs before it configures itself goes to its log as well); 5.x
 * picks its logging configuration from its jars by {@code rmq.logback.configurationFile}. A version the archive does
 * not tell gets both.
 *
 * <p>RocketMQ's servers default to TLS "permissive" mode with a self-signed test certificate, generated anew for each
 * of a broker's two listeners at every start: an RSA key generation that takes seconds of CPU on a busy host and
 * gives no TLS a client could trust. The provider turns it off ({@code -Dtls.server.mode=disabled}) unless
 * {@code jvm_options} configure TLS themselves (any {@code -Dtls.} option).
 */
final class JvmCommand {
    private JvmCommand() {}

    static List<String> of(
            String java,
            Value planned,
            String home,
            InstalledDistribution dist,
            ProcessKind.JvmMain main,
            Optional<RocketMqVersion> version) {
        boolean four = version.map(v -> v.major() < 5).orElse(true);
        boolean five = version.map(v -> v.major() >= 5).orElse(true);
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        String heap = planned.attribute("jvm_heap").asString();
        cmd.add("-Xms" + heap);
        cmd.add("-Xmx" + heap);
        if (four) {
            cmd.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
            cmd.add("--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED");
            cmd.add("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
        }
        Value options = planned.attribute("jvm_options");
        List<String> own = options.isNull()
                ? List.of()
                : options.elements().stream().map(Value::asString).toList();
        if (own.stream().noneMatch(o -> o.startsWith("-Dtls."))) {
            cmd.add("-Dtls.server.mode=disabled");
        }
        cmd.addAll(own);
        cmd.add("-Duser.home=" + home + "/home");
        cmd.add("-Drocketmq.home.dir=" + dist.home());
        if (four) {
            cmd.add("-Dlogback.configurationFile=" + dist.home() + "/conf/logback_" + main.role() + ".xml");
        }
        if (five) {
            cmd.add("-Drmq.logback.configurationFile=rmq." + main.role() + ".logback.xml");
        }
        cmd.add("-cp");
        cmd.add(dist.libDir() + "/*");
        cmd.add(main.mainClass());
        cmd.add(main.configOption());
        cmd.add(home + "/run/" + main.configFile());
        return List.copyOf(cmd);
    }
}
