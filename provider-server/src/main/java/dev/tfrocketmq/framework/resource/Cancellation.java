package dev.tfrocketmq.framework.resource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Set when Terraform asks the provider to stop (StopProvider) or abandons a call; long waits poll it and give up
 * early, and long-running work registers what to do to stop (close a channel, kill a remote process group).
 *
 * <p>Cancellations form a tree: a call's cancellation is a child of its session's, so StopProvider stops every call of
 * that session and nothing else, while an abandoned call stops only itself.
 */
public final class Cancellation {
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private final List<Runnable> listeners = new ArrayList<>();

    public Cancellation() {}

    /** A cancellation that is cancelled with this one (and may also be cancelled on its own). */
    public Cancellation child() {
        Cancellation child = new Cancellation();
        Runnable propagate = child::cancel;
        onCancel(propagate);
        child.onCancel(() -> removeListener(propagate));
        return child;
    }

    public void cancel() {
        List<Runnable> toRun;
        synchronized (listeners) {
            if (isCancelled()) {
                return;
            }
            cancelled.countDown();
            toRun = List.copyOf(listeners);
            listeners.clear();
        }
        for (Runnable listener : toRun) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                // A failing listener must not keep the others from stopping their work.
            }
        }
    }

    public boolean isCancelled() {
        return cancelled.getCount() == 0;
    }

    /**
     * Runs {@code listener} when cancelled (at once, on this thread, if already cancelled). Returns a handle that
     * unregisters it; close it when the work it would stop has finished.
     */
    public Registration onCancel(Runnable listener) {
        synchronized (listeners) {
            if (!isCancelled()) {
                listeners.add(listener);
                return () -> removeListener(listener);
            }
        }
        listener.run();
        return () -> {};
    }

    private void removeListener(Runnable listener) {
        synchronized (listeners) {
            listeners.remove(listener);
        }
    }

    /** Sleeps for {@code duration} or until cancelled; returns true if cancelled. */
    public boolean sleep(Duration duration) {
        try {
            return cancelled.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Undoes an {@link #onCancel} registration. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
