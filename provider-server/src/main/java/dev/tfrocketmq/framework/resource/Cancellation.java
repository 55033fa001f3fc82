package dev.tfrocketmq.framework.resource;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Set when Terraform asks the provider to stop (StopProvider); long waits poll it and give up early. */
public final class Cancellation {
    private final CountDownLatch cancelled = new CountDownLatch(1);

    public void cancel() {
        cancelled.countDown();
    }

    public boolean isCancelled() {
        return cancelled.getCount() == 0;
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
}
