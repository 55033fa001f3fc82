package dev.tfrocketmq.context;

import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.resource.Cancellation;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * Named locks for restarts, shared by every run this backend serves (two applies in two directories may touch one
 * cluster): a restart takes all its locks at once (so no two restarts wait on each other), once a condition of its
 * own holds as well.
 */
public final class RestartLocks {
    private static final Duration RECHECK = Duration.ofMillis(100);

    private final Set<String> held = new HashSet<>();

    /** Locks held; closing releases them. */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits until none of {@code keys} is held and {@code mayGo} holds, then takes the keys.
     *
     * @param waiting what the wait is for, in words, for the message when the wait is cancelled
     */
    public Lease acquire(Set<String> keys, BooleanSupplier mayGo, Cancellation cancellation, String waiting) {
        Set<String> mine = Set.copyOf(new TreeSet<>(keys));
        synchronized (this) {
            while (true) {
                if (cancellation.isCancelled()) {
                    throw new OperatorException(
                            "Cancelled while waiting to restart",
                            "The restart was waiting for " + waiting + " when Terraform cancelled the run; nothing "
                                    + "was stopped.");
                }
                if (mine.stream().noneMatch(held::contains) && mayGo.getAsBoolean()) {
                    held.addAll(mine);
                    break;
                }
                try {
                    wait(RECHECK.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new OperatorException(
                            "Interrupted while waiting to restart",
                            "The restart was waiting for " + waiting + "; nothing was stopped.");
                }
            }
        }
        return new Lease() {
            private boolean closed;

            @Override
            public void close() {
                synchronized (RestartLocks.this) {
                    if (!closed) {
                        closed = true;
                        held.removeAll(mine);
                        RestartLocks.this.notifyAll();
                    }
                }
            }
        };
    }

    /** Whether any of {@code keys} is held now (for tests and messages). */
    public synchronized boolean isHeld(String key) {
        return held.contains(key);
    }
}
