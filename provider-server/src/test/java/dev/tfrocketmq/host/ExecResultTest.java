package dev.tfrocketmq.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExecResultTest {

    @Test
    void onlyExitStatusZeroIsOk() {
        assertThat(new ExecResult(0, "", "").ok()).isTrue();
        assertThat(new ExecResult(1, "", "").ok()).isFalse();
    }

    @Test
    void stderrTailKeepsTheLastLinesWithoutTheFinalLineBreak() {
        ExecResult result = new ExecResult(1, "", "one\ntwo\nthree\n");

        assertThat(result.stderrTail(2)).isEqualTo("two\nthree");
        assertThat(result.stderrTail(10)).isEqualTo("one\ntwo\nthree");
        assertThat(result.stderrTail(0)).isEmpty();
    }
}
