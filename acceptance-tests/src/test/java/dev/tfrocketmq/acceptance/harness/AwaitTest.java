package dev.tfrocketmq.acceptance.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class AwaitTest {
    @Test
    void value_returnsOnceTheProbeAnswers() {
        AtomicInteger calls = new AtomicInteger();

        String value = Await.value(
                "third call",
                Duration.ofSeconds(5),
                () -> calls.incrementAndGet() < 3 ? Optional.empty() : Optional.of("ready"));

        assertThat(value).isEqualTo("ready");
        assertThat(calls).hasValue(3);
    }

    @Test
    void until_reportsWhatItWaitedForAndTheLastError() {
        assertThatThrownBy(() -> Await.until("the moon", Duration.ofMillis(300), () -> {
                    throw new IllegalStateException("still cheese");
                }))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("waiting for the moon")
                .hasMessageContaining("still cheese")
                .hasCauseInstanceOf(IllegalStateException.class);
    }
}
