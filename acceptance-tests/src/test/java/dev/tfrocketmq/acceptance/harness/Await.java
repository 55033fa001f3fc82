package dev.tfrocketmq.acceptance.harness;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Polls a condition until it holds or a deadline passes. */
public final class Await {
    private static final Duration INTERVAL = Duration.ofMillis(250);

    private Await() {}

    /**
     * Polls {@code check} until it returns true. Exceptions it throws count as "not yet"; the last one is reported
     * when the deadline passes.
     */
    public static void until(String what, Duration timeout, Callable<Boolean> check) {
        value(what, timeout, () -> Boolean.TRUE.equals(check.call()) ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** Polls {@code probe} until it returns a value, and returns that value. */
    public static <T> T value(String what, Duration timeout, Callable<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                Optional<T> value = probe.call();
                if (value.isPresent()) {
                    return value.get();
                }
                last = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                AssertionError failure = new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for "
                        + what + (last == null ? "" : "; last error: " + last));
                if (last != null) {
                    failure.initCause(last);
                }
                throw failure;
            }
            try {
                Thread.sleep(INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }
}
