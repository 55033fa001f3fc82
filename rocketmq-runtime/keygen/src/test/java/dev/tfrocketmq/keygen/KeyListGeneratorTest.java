package dev.tfrocketmq.keygen;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class KeyListGeneratorTest {

    enum Role {
        MASTER,
        SLAVE
    }

    public static class BaseConfig {
        public void setInheritedKey(long value) {}
    }

    /** Shaped like RocketMQ's config classes: setters of every kind RocketMQ reads, and of kinds it skips. */
    public static class SampleConfig extends BaseConfig {
        public void setListenPort(int value) {}

        public void setBrokerName(String value) {}

        public void setAutoCreateTopicEnable(boolean value) {}

        public void setBoxedRatio(Double value) {}

        public void setFloatValue(float value) {}

        public void setBoxedLong(Long value) {}

        /** An enum setter with a String overload: RocketMQ reads the key through the overload. */
        public void setBrokerRole(Role value) {}

        public void setBrokerRole(String value) {}

        /** An enum setter alone: RocketMQ cannot convert a value to it, so the key is ignored. */
        public void setOnlyEnum(Role value) {}

        public void setTwoArguments(int a, int b) {}

        public void set(String value) {}

        public void setHAListenPort(int value) {}

        public static void setStaticKey(int value) {}

        protected void setProtectedKey(int value) {}

        @SuppressWarnings("unused")
        private void setPrivateKey(int value) {}

        public void settle() {}
    }

    public static class OtherConfig {
        public void setListenPort(int value) {}

        public void setOtherKey(String value) {}
    }

    private static final ClassLoader LOADER = KeyListGeneratorTest.class.getClassLoader();
    private static final String SAMPLE = SampleConfig.class.getName();
    private static final String OTHER = OtherConfig.class.getName();

    @Test
    void keysAreThePublicOneArgumentSettersOfTypesRocketMqConverts() {
        assertThat(KeyListGenerator.keysOf(SampleConfig.class))
                .containsExactly(
                        "autoCreateTopicEnable",
                        "boxedLong",
                        "boxedRatio",
                        "brokerName",
                        "brokerRole",
                        "floatValue",
                        "hAListenPort",
                        "inheritedKey",
                        "listenPort",
                        "staticKey");
    }

    @Test
    void keysOfSeveralClassesAreTheirUnionSorted() {
        assertThat(List.copyOf(KeyListGenerator.keysOf(List.of(OTHER, SAMPLE), LOADER)))
                .startsWith("autoCreateTopicEnable")
                .contains("otherKey", "listenPort")
                .isSorted()
                .doesNotHaveDuplicates();
    }

    @Test
    void aConfigClassMissingFromTheJarsFailsTheBuildNamingIt() {
        assertThatThrownBy(() -> KeyListGenerator.keysOf(List.of("org.example.NoSuchConfig"), LOADER))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("org.example.NoSuchConfig")
                .hasMessageContaining("pom.xml");
    }

    @Test
    void writableKeysComeFromTheRegisteredClassesLessTheRefusedOnes() {
        KeyListGenerator.KeyLists lists = KeyListGenerator.keyLists(
                "broker",
                "9.9.9",
                List.of(SAMPLE, OTHER),
                List.of("readByName"),
                List.of(SAMPLE),
                List.of("brokerName"),
                Map.of("listenPort", "read again on every use"),
                LOADER);
        assertThat(lists.read()).contains("otherKey", "readByName", "brokerName");
        assertThat(lists.writable()).doesNotContain("otherKey", "readByName", "brokerName");
        assertThat(lists.writable()).contains("listenPort", "brokerRole");
        assertThat(lists.live()).containsExactly("listenPort");
    }

    @Test
    void aCuratedLiveKeyThatTheVersionDoesNotHaveIsLeftOut() {
        KeyListGenerator.KeyLists lists = KeyListGenerator.keyLists(
                "broker",
                "9.9.9",
                List.of(SAMPLE),
                List.of(),
                List.of(SAMPLE),
                List.of(),
                Map.of("keyOfANewerVersion", "evidence", "listenPort", "evidence"),
                LOADER);
        assertThat(lists.live()).containsExactly("listenPort");
    }

    @Test
    void aCuratedLiveKeyThatTheUpdateRequestRefusesFailsTheBuild() {
        assertThatThrownBy(() -> KeyListGenerator.keyLists(
                        "namesrv",
                        "9.9.9",
                        List.of(SAMPLE, OTHER),
                        List.of(),
                        List.of(SAMPLE),
                        List.of(),
                        Map.of("otherKey", "evidence"),
                        LOADER))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("\"otherKey\"")
                .hasMessageContaining("9.9.9");
    }

    @Test
    void curatedListsNeedEvidenceForEveryKeyAndNoDuplicates() {
        assertThat(KeyListGenerator.readCurated(List.of("# comment", "", "deleteWhen   store: every pass")))
                .containsExactly(Map.entry("deleteWhen", "store: every pass"));
        assertThatThrownBy(() -> KeyListGenerator.readCurated(List.of("deleteWhen")))
                .hasMessageContaining("no evidence");
        assertThatThrownBy(() -> KeyListGenerator.readCurated(List.of("a x", "a y")))
                .hasMessageContaining("twice");
    }

    @Test
    void mainWritesSortedListsPerRoleAndTheVersionIndex(@TempDir Path dir) throws Exception {
        Path live = Files.writeString(dir.resolve("live.txt"), "listenPort  evidence\n");
        Path out = dir.resolve("rocketmq-keys/9.9.9");
        Path index = dir.resolve("rocketmq-keys/VERSION");
        KeyListGenerator.main(new String[] {
            "--out",
            out.toString(),
            "--index",
            index.toString(),
            "--version",
            "9.9.9",
            "--broker",
            SAMPLE + "," + OTHER,
            "--broker-extra",
            "readByName",
            "--broker-writable",
            SAMPLE,
            "--broker-rejected",
            "brokerName",
            "--broker-live",
            live.toString(),
            "--namesrv",
            OTHER,
            "--namesrv-writable",
            OTHER,
            "--namesrv-rejected",
            "-",
            "--namesrv-live",
            live.toString()
        });
        List<String> broker = Files.readAllLines(out.resolve("broker.keys"), UTF_8);
        assertThat(broker).isSorted().contains("readByName", "otherKey", "listenPort");
        assertThat(Files.readAllLines(out.resolve("broker.writable.keys"), UTF_8))
                .isSorted()
                .doesNotContain("brokerName", "otherKey");
        assertThat(Files.readAllLines(out.resolve("broker.live.keys"), UTF_8)).containsExactly("listenPort");
        assertThat(Files.readAllLines(out.resolve("namesrv.keys"), UTF_8)).containsExactly("listenPort", "otherKey");
        assertThat(Files.readAllLines(out.resolve("namesrv.live.keys"), UTF_8)).containsExactly("listenPort");
        assertThat(Files.readString(index)).isEqualTo("9.9.9\n");
    }
}
