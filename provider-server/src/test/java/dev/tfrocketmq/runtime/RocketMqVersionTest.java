package dev.tfrocketmq.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

final class RocketMqVersionTest {

    @Test
    void releaseNumbersAndQualifiedOnesParse() {
        assertThat(RocketMqVersion.parse("5.3.3")).contains(new RocketMqVersion(5, 3, 3, ""));
        assertThat(RocketMqVersion.parse("4.1.0-incubating")).contains(new RocketMqVersion(4, 1, 0, "incubating"));
        assertThat(RocketMqVersion.parse("4.1.0-incubating").orElseThrow().toString())
                .isEqualTo("4.1.0-incubating");
        assertThat(RocketMqVersion.parse(" 4.9.7\n").orElseThrow().toString()).isEqualTo("4.9.7");
    }

    @Test
    void anythingElseIsNotAVersion() {
        assertThat(Stream.of("5.3", "5.3.3.1", "v5.3.3", "5.3.3-", "latest", "", "5.3.x"))
                .allSatisfy(
                        text -> assertThat(RocketMqVersion.parse(text)).as(text).isEmpty());
        assertThat(RocketMqVersion.parse(null)).isEmpty();
    }

    @Test
    void versionsOrderByNumberAndAReleaseAfterItsQualifiedBuilds() {
        List<RocketMqVersion> sorted = Stream.of(
                        "5.5.0", "4.9.7", "5.3.3", "5.10.0", "5.3.3-SNAPSHOT", "4.1.0-incubating")
                .map(v -> RocketMqVersion.parse(v).orElseThrow())
                .sorted()
                .toList();
        assertThat(sorted.stream().map(RocketMqVersion::toString))
                .containsExactly("4.1.0-incubating", "4.9.7", "5.3.3-SNAPSHOT", "5.3.3", "5.5.0", "5.10.0");
    }
}
