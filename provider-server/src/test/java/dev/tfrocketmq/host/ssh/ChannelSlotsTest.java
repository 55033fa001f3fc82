package dev.tfrocketmq.host.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.host.HostException;
import dev.tfrocketmq.host.OperationCancelledException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChannelSlotsTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Cancellation never = new Cancellation();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private static long in(Duration duration) {
        return System.nanoTime() + duration.toNanos();
    }

    @Test
    void noMoreThanTheLimitAreOpenAtOnceAndTheRestWaitInOrderOfArrival() throws Exception {
        ChannelSlots slots = new ChannelSlots("h", 2);
        ChannelSlots.Slot first = slots.acquire(false, in(Duration.ofSeconds(5)), never, "one");
        ChannelSlots.Slot second = slots.acquire(false, in(Duration.ofSeconds(5)), never, "two");
        List<String> served = new CopyOnWriteArrayList<>();
        CompletableFuture<ChannelSlots.Slot> third = CompletableFuture.supplyAsync(
                () -> {
                    ChannelSlots.Slot slot = slots.acquire(false, in(Duration.ofSeconds(5)), never, "three");
                    served.add("three");
                    return slot;
                },
                threads);
        awaitQueued(slots, third);
        CompletableFuture<ChannelSlots.Slot> fourth = CompletableFuture.supplyAsync(
                () -> {
                    ChannelSlots.Slot slot = slots.acquire(false, in(Duration.ofSeconds(5)), never, "four");
                    served.add("four");
                    return slot;
                },
                threads);
        Thread.sleep(200);

        assertThat(third).isNotDone();
        assertThat(fourth).isNotDone();
        assertThat(slots.open()).isEqualTo(2);

        first.release();
        ChannelSlots.Slot thirdSlot = third.get(2, TimeUnit.SECONDS);
        Thread.sleep(200);
        assertThat(fourth).as("one release lets one waiter in").isNotDone();

        second.release();
        fourth.get(2, TimeUnit.SECONDS).release();
        thirdSlot.release();

        assertThat(served).containsExactly("three", "four");
        assertThat(slots.peak()).isEqualTo(2);
        assertThat(slots.open()).isZero();
    }

    private static void awaitQueued(ChannelSlots slots, CompletableFuture<?> waiter) throws InterruptedException {
        Thread.sleep(100);
        assertThat(waiter).isNotDone();
    }

    @Test
    void anUrgentRequestSkipsTheQueueAndMayUseOneSlotBeyondTheLimit() throws Exception {
        ChannelSlots slots = new ChannelSlots("h", 1);
        ChannelSlots.Slot busy = slots.acquire(false, in(Duration.ofSeconds(5)), never, "busy");
        CompletableFuture<ChannelSlots.Slot> queued = CompletableFuture.supplyAsync(
                () -> slots.acquire(false, in(Duration.ofSeconds(5)), never, "queued"), threads);
        awaitQueued(slots, queued);

        ChannelSlots.Slot urgent = slots.acquire(true, in(Duration.ofMillis(100)), never, "kill");

        assertThat(slots.open()).isEqualTo(2);
        assertThatThrownBy(() -> slots.acquire(true, in(Duration.ofMillis(200)), never, "another kill"))
                .as("only one slot beyond the limit")
                .isInstanceOf(HostException.class);
        urgent.release();
        busy.release();
        queued.get(2, TimeUnit.SECONDS).release();
    }

    @Test
    void aRefusalLowersTheCeilingToTheChannelsThatWereOpenForAWhile() throws Exception {
        ChannelSlots slots = new ChannelSlots("h", 8);
        ChannelSlots.Slot a = slots.acquire(false, in(Duration.ofSeconds(5)), never, "a");
        ChannelSlots.Slot b = slots.acquire(false, in(Duration.ofSeconds(5)), never, "b");

        slots.refused(2);

        assertThat(slots.effectiveLimit()).isEqualTo(2);
        CompletableFuture<ChannelSlots.Slot> c = CompletableFuture.supplyAsync(
                () -> slots.acquire(false, in(Duration.ofSeconds(5)), never, "c"), threads);
        awaitQueued(slots, c);
        a.release();
        c.get(2, TimeUnit.SECONDS).release();
        b.release();

        slots.refused(0);
        assertThat(slots.effectiveLimit()).as("never below one").isEqualTo(1);
    }

    @Test
    void waitingForASlotEndsWhenTheCancellationFires() throws Exception {
        ChannelSlots slots = new ChannelSlots("root@h1:22", 1);
        ChannelSlots.Slot busy = slots.acquire(false, in(Duration.ofSeconds(5)), never, "busy");
        Cancellation cancellation = new Cancellation();
        CompletableFuture<ChannelSlots.Slot> waiting = CompletableFuture.supplyAsync(
                () -> slots.acquire(false, in(Duration.ofMinutes(5)), cancellation, "running sleep"), threads);
        awaitQueued(slots, waiting);

        long start = System.nanoTime();
        cancellation.cancel();

        assertThatThrownBy(() -> waiting.get(2, TimeUnit.SECONDS))
                .hasCauseInstanceOf(OperationCancelledException.class)
                .hasMessageContaining("running sleep on root@h1:22 was stopped");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        busy.release();
        assertThat(slots.open()).isZero();
    }

    @Test
    void aWaiterThatGivesUpDoesNotHoldUpTheOnesBehindIt() throws Exception {
        ChannelSlots slots = new ChannelSlots("h", 1);
        ChannelSlots.Slot busy = slots.acquire(false, in(Duration.ofSeconds(5)), never, "busy");
        CompletableFuture<ChannelSlots.Slot> impatient = CompletableFuture.supplyAsync(
                () -> slots.acquire(false, in(Duration.ofMillis(300)), never, "impatient"), threads);
        awaitQueued(slots, impatient);
        CompletableFuture<ChannelSlots.Slot> patient = CompletableFuture.supplyAsync(
                () -> slots.acquire(false, in(Duration.ofSeconds(5)), never, "patient"), threads);

        assertThatThrownBy(() -> impatient.get(2, TimeUnit.SECONDS))
                .hasCauseInstanceOf(HostException.class)
                .hasMessageContaining("no SSH session became free in time");
        busy.release();

        patient.get(2, TimeUnit.SECONDS).release();
    }
}
