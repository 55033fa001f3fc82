package dev.tfrocketmq.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class JavaCheckTest {
    @Test
    void readsTheMajorVersionOfModernJava() {
        assertThat(JavaCheck.major("openjdk version \"17.0.15\" 2025-04-15")).isEqualTo(17);
        assertThat(JavaCheck.major("openjdk version \"21\" 2023-09-19")).isEqualTo(21);
    }

    @Test
    void readsJava8AsEight() {
        assertThat(JavaCheck.major("java version \"1.8.0_392\"")).isEqualTo(8);
    }

    @Test
    void unreadableOutputCountsAsTooOld() {
        assertThat(JavaCheck.major("bash: java: command not found")).isZero();
    }
}
