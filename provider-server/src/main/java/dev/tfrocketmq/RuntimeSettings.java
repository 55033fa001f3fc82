package dev.tfrocketmq;

import java.util.logging.Level;
import java.util.logging.Logger;

/** JVM-wide settings that must be in place before any RocketMQ class loads. */
final class RuntimeSettings {
    /** Held so the configured level is not lost to garbage collection of the logger. */
    private static final Logger GRPC_LOGGER = Logger.getLogger("io.grpc");

    private RuntimeSettings() {}

    static void apply() {
        // RocketMQ's shaded logback would otherwise pick a server's config from the classpath and log to ~/logs.
        System.setProperty(
                "rmq.logback.configurationFile",
                System.getProperty("rmq.logback.configurationFile", "tfrocketmq.logback.xml"));
        // grpc-netty warns about socket options a unix socket does not have; only real errors matter here.
        GRPC_LOGGER.setLevel(Level.SEVERE);
    }
}
