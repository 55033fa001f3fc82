package dev.tfrocketmq.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tfrocketmq.process.KnownKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class DistributionVersionTest {

    @TempDir
    Path dir;

    /** The layout of an official binary release: one top-level directory with bin/, conf/ and lib/. */
    private static Map<String, String> release(String version) {
        String top = "rocketmq-all-" + version + "-bin-release/";
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(top + "bin/mqbroker", "#!/bin/sh\n");
        entries.put(top + "conf/broker.conf", "brokerName=broker-a\n");
        entries.put(top + "lib/rocketmq-client-" + version + ".jar", "jar");
        entries.put(top + "lib/rocketmq-common-" + version + ".jar", "jar");
        entries.put(top + "lib/rocketmq-broker-" + version + ".jar", "jar");
        entries.put(top + "lib/rocketmq-namesrv-" + version + ".jar", "jar");
        entries.put(top + "lib/netty-all-4.1.65.Final.jar", "jar");
        return entries;
    }

    @Test
    void theVersionComesFromTheServerJarNamesOfAZip() throws Exception {
        Path zip = Archives.zip(dir.resolve("rocketmq-all-5.3.3-bin-release.zip"), release("5.3.3"));
        assertThat(DistributionVersion.detect(zip)).contains(new RocketMqVersion(5, 3, 3, ""));
    }

    @Test
    void theFileNameOfTheArchiveDoesNotMatter() throws Exception {
        Path zip = Archives.zip(dir.resolve("rocketmq-all-5.3.3-bin-release.zip"), release("4.9.7"));
        assertThat(DistributionVersion.detect(zip).map(RocketMqVersion::toString))
                .contains("4.9.7");
    }

    @Test
    void aTarGzIsReadFromItsHeadersToo() throws Exception {
        Path tgz = Archives.tarGz(dir.resolve("rmq.tar.gz"), release("4.9.7"));
        assertThat(DistributionVersion.detect(tgz).map(RocketMqVersion::toString))
                .contains("4.9.7");
    }

    @Test
    void aTarGzWithPathsLongerThanATarHeaderHoldsIsReadThroughItsLongNames() throws Exception {
        String deep = "d".repeat(90) + "/" + "e".repeat(90) + "/";
        Map<String, String> entries = new LinkedHashMap<>();
        release("5.5.0").forEach((k, v) -> entries.put(deep + k, v));
        entries.put(deep + "rocketmq-all-5.5.0-bin-release/lib/" + "x".repeat(120) + ".jar", "jar");
        Path tgz = Archives.tarGz(dir.resolve("deep.tar.gz"), entries);
        // three directory levels are more than the layout allows: not a distribution home, so no version
        assertThat(DistributionVersion.detect(tgz)).isEmpty();

        Map<String, String> longTop = new LinkedHashMap<>();
        String top = "rocketmq-" + "y".repeat(110) + "/";
        longTop.put(top + "lib/rocketmq-broker-5.5.0.jar", "jar");
        longTop.put(top + "lib/" + "x".repeat(120) + ".jar", "jar");
        Path long1 = Archives.tarGz(dir.resolve("long.tar.gz"), longTop);
        assertThat(DistributionVersion.detect(long1).map(RocketMqVersion::toString))
                .contains("5.5.0");
    }

    @Test
    void jarsAtTheArchiveRootCountToo() throws Exception {
        Path zip = Archives.zip(
                dir.resolve("flat.zip"),
                Map.of("lib/rocketmq-broker-5.5.0.jar", "jar", "lib/rocketmq-namesrv-5.5.0.jar", "jar"));
        assertThat(DistributionVersion.detect(zip).map(RocketMqVersion::toString))
                .contains("5.5.0");
    }

    @Test
    void anUnknownVersionIsDetectedButHasNoKeyLists() throws Exception {
        Path zip = Archives.zip(dir.resolve("old.zip"), release("4.1.0-incubating"));
        RocketMqVersion version = DistributionVersion.detect(zip).orElseThrow();
        assertThat(version).isEqualTo(new RocketMqVersion(4, 1, 0, "incubating"));
        assertThat(KnownKeys.broker(version.toString())).isEmpty();
        assertThat(KnownKeys.versions()).doesNotContain(version.toString());
    }

    @Test
    void aZipWithoutRocketMqServerJarsHasNoVersion() throws Exception {
        Path other = Archives.zip(
                dir.resolve("other.zip"),
                Map.of("app/lib/guava-33.5.0-jre.jar", "jar", "app/README", "hello", "app/bin/run", "#!/bin/sh\n"));
        assertThat(DistributionVersion.detect(other)).isEmpty();
        Path clientOnly = Archives.zip(
                dir.resolve("client.zip"),
                Map.of("app/lib/rocketmq-client-5.3.3.jar", "jar", "app/lib/rocketmq-common-5.3.3.jar", "jar"));
        assertThat(DistributionVersion.detect(clientOnly)).isEmpty();
        Path nested = Archives.zip(dir.resolve("nested.zip"), Map.of("a/b/lib/rocketmq-broker-5.3.3.jar", "jar"));
        assertThat(DistributionVersion.detect(nested)).isEmpty();
    }

    @Test
    void anArchiveMixingVersionsIsRejectedNamingTheJars() throws Exception {
        Map<String, String> entries = new LinkedHashMap<>(release("5.3.3"));
        entries.put("rocketmq-all-5.3.3-bin-release/lib/rocketmq-broker-5.5.0.jar", "jar");
        Path zip = Archives.zip(dir.resolve("mixed.zip"), entries);
        assertThatThrownBy(() -> DistributionVersion.detect(zip))
                .isInstanceOf(DistributionException.class)
                .hasMessageContaining("rocketmq-broker-5.5.0.jar")
                .hasMessageContaining("rocketmq-namesrv-5.3.3.jar");
    }

    @Test
    void aFileThatIsNoArchiveIsADistributionError() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.zip"), "not an archive");
        assertThatThrownBy(() -> DistributionVersion.detect(text)).isInstanceOf(DistributionException.class);
        Path broken = Files.write(dir.resolve("broken.zip"), new byte[] {'P', 'K', 3, 4, 0, 0});
        assertThatThrownBy(() -> DistributionVersion.detect(broken))
                .isInstanceOf(DistributionException.class)
                .hasMessageContaining("broken.zip");
    }
}
