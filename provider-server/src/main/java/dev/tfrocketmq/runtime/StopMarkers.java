package dev.tfrocketmq.runtime;

import java.util.List;

/**
 * What tells, from outside, that a stopping RocketMQ process has written everything it keeps, so that the rest of its
 * shutdown (thread joins, pool terminations, fixed sleeps) may be cut short with SIGKILL without losing anything.
 *
 * <p>For a broker: the store's {@code abort} file, which the message store deletes as the last step of a clean close
 * (commit log and consume queues flushed, checkpoint written), and {@code config/consumerOffset.json}, which the
 * broker writes once more after that. A name server keeps nothing it has not written already (its KV config is
 * written on every change; routes come back with the brokers' next registration): {@link #NOTHING_TO_WRITE}.
 * {@link #NONE}: wait for the process to exit.
 *
 * @param gone           files whose removal marks the clean close of the data
 * @param rewritten      files written once more after that
 * @param nothingToWrite the process holds nothing unwritten: cut its shutdown right after SIGTERM has been delivered
 */
public record StopMarkers(List<String> gone, List<String> rewritten, boolean nothingToWrite) {
    public static final StopMarkers NONE = new StopMarkers(List.of(), List.of(), false);
    public static final StopMarkers NOTHING_TO_WRITE = new StopMarkers(List.of(), List.of(), true);

    public StopMarkers {
        gone = List.copyOf(gone);
        rewritten = List.copyOf(rewritten);
        for (String path : gone) {
            RemotePath.checkAbsolute("stop marker", path, 2);
        }
        for (String path : rewritten) {
            RemotePath.checkAbsolute("stop marker", path, 2);
        }
        if (gone.isEmpty() && !rewritten.isEmpty()) {
            throw new IllegalArgumentException("a rewritten marker counts from the removal of a gone marker");
        }
        if (nothingToWrite && !gone.isEmpty()) {
            throw new IllegalArgumentException("a process with nothing to write has no markers to wait for");
        }
    }

    /** The clean close of a store: {@code gone} removed, then each of {@code rewritten} written again. */
    public static StopMarkers of(List<String> gone, List<String> rewritten) {
        return new StopMarkers(gone, rewritten, false);
    }
}
