package dev.tfrocketmq.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class AppliedConfigTest {
    @Test
    void itSurvivesTheRoundTripThroughPrivateData() {
        AppliedConfig config = new AppliedConfig(
                Optional.of("token-1"), Map.of("deleteWhen", "04", "listenPort", "10911"), Map.of("deleteWhen", "05"));
        assertThat(AppliedConfig.decode(config.encode())).isEqualTo(config);
    }

    @Test
    void theSameContentEncodesToTheSameBytes() {
        AppliedConfig a = AppliedConfig.NONE.withComponent("t").withApplied(Map.of("b", "2", "a", "1"));
        AppliedConfig b = AppliedConfig.NONE.withComponent("t").withApplied(Map.of("a", "1", "b", "2"));
        assertThat(a.encode()).isEqualTo(b.encode());
    }

    @Test
    void emptyOrForeignPrivateDataReadsAsNothingKnown() {
        assertThat(AppliedConfig.decode(new byte[0])).isEqualTo(AppliedConfig.NONE);
        assertThat(AppliedConfig.decode(null)).isEqualTo(AppliedConfig.NONE);
        assertThat(AppliedConfig.decode("{\"schema_version\":1}".getBytes(UTF_8)))
                .isEqualTo(AppliedConfig.NONE);
        assertThat(AppliedConfig.decode("not json".getBytes(UTF_8))).isEqualTo(AppliedConfig.NONE);
    }

    @Test
    void afterAnApplyTheProcessRunsWhatWasApplied() {
        AppliedConfig applied = AppliedConfig.NONE.withComponent("t").withApplied(Map.of("deleteWhen", "04"));
        assertThat(applied.running()).isEqualTo(applied.applied());
        assertThat(applied.component()).contains("t");
    }
}
