package dev.tfrocketmq.runtime;

/** What is known about a component's process. */
public sealed interface ProcessStatus {

    /** The component was never set up: its directory has no launch script. */
    record Absent() implements ProcessStatus {}

    /** The component is set up but its process is not running. */
    record Stopped() implements ProcessStatus {}

    /** The component's process is running with {@code pid}. */
    record Running(long pid) implements ProcessStatus {}

    default boolean isRunning() {
        return this instanceof Running;
    }
}
