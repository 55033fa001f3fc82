package dev.tfrocketmq;

/** JVM-wide settings that must be in place before any RocketMQ class loads. */
final class RuntimeSettings {
    private RuntimeSettings() {}

    static void apply() {
        // RocketMQ's shaded logback would otherwise pick a server's config from the classpath and log to ~/logs.
        System.setProperty("rmq.logback.configurationFile",
                System.getProperty("rmq.logback.configurationFile", "tfrocketmq.logback.xml"));
    }
}
