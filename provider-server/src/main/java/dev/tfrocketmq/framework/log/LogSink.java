package dev.tfrocketmq.framework.log;

/** Where log lines go: a stream, or the Terraform session that made the current call. */
public interface LogSink {
    /** Lines below this level are dropped before they are formatted. */
    Log.Level threshold();

    /** Writes one whole JSON line, without its newline. Called from many threads. */
    void write(String line);
}
