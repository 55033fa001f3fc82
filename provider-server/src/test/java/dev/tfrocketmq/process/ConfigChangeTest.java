package dev.tfrocketmq.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class ConfigChangeTest {
    private static final Optional<KnownKeys> BROKER_533 = KnownKeys.broker("5.3.3");
    private static final Map<String, String> RUNNING = Map.of(
            "brokerName", "broker-a", "deleteWhen", "04", "fileReservedTime", "48", "flushDiskType", "ASYNC_FLUSH");

    private static Map<String, String> with(String key, String value) {
        var map = new java.util.TreeMap<>(RUNNING);
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
        return map;
    }

    @Test
    void theSameConfigNeedsNothing() {
        assertThat(ConfigChange.between(RUNNING, RUNNING, BROKER_533, Set.of()).none())
                .isTrue();
    }

    @Test
    void keysTheRunningVersionAppliesLiveAreSentToItWithoutARestart() {
        ConfigChange change = ConfigChange.between(RUNNING, with("deleteWhen", "05"), BROKER_533, Set.of());
        assertThat(change.restart()).isFalse();
        assertThat(change.live()).containsExactly(Map.entry("deleteWhen", "05"));
    }

    @Test
    void aKeyReadOnlyAtStartRestartsAndIsNamed() {
        ConfigChange change = ConfigChange.between(RUNNING, with("flushDiskType", "SYNC_FLUSH"), BROKER_533, Set.of());
        assertThat(change.restart()).isTrue();
        assertThat(change.restartKeys()).containsExactly("flushDiskType");
    }

    @Test
    void liveAndRestartKeysTogetherRestartAndStillListTheLiveOnes() {
        var desired = new java.util.TreeMap<>(with("flushDiskType", "SYNC_FLUSH"));
        desired.put("fileReservedTime", "72");
        ConfigChange change = ConfigChange.between(RUNNING, desired, BROKER_533, Set.of());
        assertThat(change.restartKeys()).containsExactly("flushDiskType");
        assertThat(change.live()).containsOnlyKeys("fileReservedTime");
    }

    @Test
    void aRemovedLiveKeyRestarts_onlyAStartReadsRocketMqsDefaultAgain() {
        ConfigChange change = ConfigChange.between(RUNNING, with("deleteWhen", null), BROKER_533, Set.of());
        assertThat(change.restartKeys()).containsExactly("deleteWhen");
    }

    @Test
    void valuesThatMeanTheSameToRocketMqAreNoChange() {
        var running = Map.of("fileReservedTime", "8", "autoCreateTopicEnable", "true");
        var desired = Map.of("fileReservedTime", "08", "autoCreateTopicEnable", "TRUE");
        assertThat(ConfigChange.between(running, desired, BROKER_533, Set.of()).none())
                .isTrue();
    }

    @Test
    void aNewlyDeclaredKeyThatTheProcessAlreadyRunsWithIsNoChange() {
        var running = Map.of("brokerName", "broker-a", "deleteWhen", "04");
        var desired = Map.of("brokerName", "broker-a", "deleteWhen", "04");
        assertThat(ConfigChange.between(running, desired, BROKER_533, Set.of()).none())
                .isTrue();
    }

    @Test
    void withoutKeyListsForTheVersionEveryChangeRestarts() {
        ConfigChange change = ConfigChange.between(RUNNING, with("deleteWhen", "05"), Optional.empty(), Set.of());
        assertThat(change.restartKeys()).containsExactly("deleteWhen");
    }

    @Test
    void anUncheckedKeyRestarts_itsEffectIsNotKnown() {
        ConfigChange change = ConfigChange.between(RUNNING, with("deleteWhen", "05"), BROKER_533, Set.of("deleteWhen"));
        assertThat(change.restartKeys()).containsExactly("deleteWhen");
    }

    @Test
    void numbersCompareByValueAndBooleansIgnoringCase_otherTextExactly() {
        assertThat(ConfigValues.same("48", "48.0")).isTrue();
        assertThat(ConfigValues.same("False", "false")).isTrue();
        assertThat(ConfigValues.same("ASYNC_FLUSH", "async_flush")).isFalse();
        assertThat(ConfigValues.same(null, "")).isFalse();
        assertThat(ConfigValues.same(null, null)).isTrue();
    }
}
