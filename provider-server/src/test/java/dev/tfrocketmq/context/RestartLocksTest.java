package dev.tfrocketmq.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.resource.Cancellation;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

final class RestartLocksTest {
    private final RestartLocks locks = new RestartLocks();

    @Test
    void twoRestartsOfOneGroupTakeTurns() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch firstHolds = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread first = new Thread(() -> {
            try (RestartLocks.Lease lease = locks.acquire(Set.of("group:c/a"), () -> true, new Cancellation(), "x")) {
                events.add("first in");
                firstHolds.countDown();
                release.await(10, TimeUnit.SECONDS);
                events.add("first out");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        first.start();
        assertThat(firstHolds.await(10, TimeUnit.SECONDS)).isTrue();
        Thread second = new Thread(() -> {
            try (RestartLocks.Lease lease =
                    locks.acquire(Set.of("group:c/a", "leaders:c"), () -> true, new Cancellation(), "x")) {
                events.add("second in");
            }
        });
        second.start();
        Thread.sleep(200);
        assertThat(events).containsExactly("first in");
        release.countDown();
        first.join(10_000);
        second.join(10_000);
        assertThat(events).containsExactly("first in", "first out", "second in");
        assertThat(locks.isHeld("group:c/a")).isFalse();
    }

    @Test
    void otherGroupsDoNotWait() {
        try (RestartLocks.Lease a = locks.acquire(Set.of("group:c/a"), () -> true, new Cancellation(), "x");
                RestartLocks.Lease b = locks.acquire(Set.of("group:c/b"), () -> true, new Cancellation(), "x")) {
            assertThat(locks.isHeld("group:c/a")).isTrue();
            assertThat(locks.isHeld("group:c/b")).isTrue();
        }
    }

    @Test
    void aConditionOfItsOwnHoldsTheRestartBackUntilItIsTrue() throws Exception {
        AtomicBoolean slavesDone = new AtomicBoolean();
        CountDownLatch acquired = new CountDownLatch(1);
        Thread master = new Thread(() -> {
            try (RestartLocks.Lease lease =
                    locks.acquire(Set.of("leaders:c"), slavesDone::get, new Cancellation(), "slaves")) {
                acquired.countDown();
            }
        });
        master.start();
        assertThat(acquired.await(300, TimeUnit.MILLISECONDS)).isFalse();
        slavesDone.set(true);
        assertThat(acquired.await(5, TimeUnit.SECONDS)).isTrue();
        master.join(5_000);
    }

    @Test
    void aCancelledRunStopsWaitingAndSaysWhatItWaitedFor() {
        Cancellation cancellation = new Cancellation();
        try (RestartLocks.Lease held = locks.acquire(Set.of("group:c/a"), () -> true, new Cancellation(), "x")) {
            cancellation.cancel();
            assertThatThrownBy(() -> locks.acquire(Set.of("group:c/a"), () -> true, cancellation, "broker-a's slave"))
                    .isInstanceOf(OperatorException.class)
                    .hasMessageContaining("broker-a's slave");
        }
    }
}
