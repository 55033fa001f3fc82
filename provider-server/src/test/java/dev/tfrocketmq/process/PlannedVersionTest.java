package dev.tfrocketmq.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.framework.diag.Severity;
import dev.tfrocketmq.framework.resource.PlanResponse;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.host.UserEnvironment;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class PlannedVersionTest {
    private static final TfType.ObjectType TYPE = TfType.object(Map.of(
            "distribution", TfType.STRING, "distribution_sha256", TfType.STRING, "rocketmq_version", TfType.STRING));
    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    @TempDir
    Path dir;

    private UserEnvironment environment() {
        return new UserEnvironment(dir, dir, Map.of());
    }

    private Path archive(String name, List<String> entries) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String entry : entries) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.write(1);
                zip.closeEntry();
            }
        }
        return file;
    }

    private static Value values(String distribution, String sha, Value version) {
        return Value.object(
                TYPE,
                Map.of(
                        "distribution", Value.string(distribution),
                        "distribution_sha256", Value.string(sha),
                        "rocketmq_version", version));
    }

    private PlanResponse plan(Value prior, Value planned) {
        PlanResponse response = new PlanResponse(planned);
        PlannedVersion.plan(prior, response, environment(), dir.resolve("cache"));
        return response;
    }

    @Test
    void theVersionComesFromTheArchivesServerJars() throws IOException {
        Path zip = archive(
                "rmq.zip",
                List.of(
                        "rocketmq-all-4.9.7-bin-release/lib/rocketmq-broker-4.9.7.jar",
                        "rocketmq-all-4.9.7-bin-release/lib/rocketmq-namesrv-4.9.7.jar"));
        PlanResponse response = plan(null, values(zip.toString(), SHA_A, Value.unknown(TfType.STRING)));
        assertThat(response.attribute("rocketmq_version")).isEqualTo(Value.string("4.9.7"));
        assertThat(response.diagnostics().all()).isEmpty();
    }

    @Test
    void theSameArchiveKeepsTheVersionOfTheState_anotherIsReadAgain() throws IOException {
        Path zip = archive("new.zip", List.of("lib/rocketmq-broker-5.5.0.jar"));
        Value prior = values(zip.toString(), SHA_A, Value.string("5.3.3"));
        assertThat(plan(prior, values(zip.toString(), SHA_A, Value.unknown(TfType.STRING)))
                        .attribute("rocketmq_version"))
                .isEqualTo(Value.string("5.3.3"));
        assertThat(plan(prior, values(zip.toString(), SHA_B, Value.unknown(TfType.STRING)))
                        .attribute("rocketmq_version"))
                .isEqualTo(Value.string("5.5.0"));
    }

    @Test
    void aDownloadNotYetCachedLeavesTheVersionToApply() {
        PlanResponse response =
                plan(null, values("https://example.invalid/rmq.zip", SHA_A, Value.unknown(TfType.STRING)));
        assertThat(response.attribute("rocketmq_version").isUnknown()).isTrue();
    }

    @Test
    void aCachedDownloadIsReadAtPlan() throws IOException {
        Files.createDirectories(dir.resolve("cache"));
        archive("cache/" + SHA_A + ".zip", List.of("lib/rocketmq-namesrv-5.3.3.jar"));
        PlanResponse response =
                plan(null, values("https://example.invalid/rmq.zip", SHA_A, Value.unknown(TfType.STRING)));
        assertThat(response.attribute("rocketmq_version")).isEqualTo(Value.string("5.3.3"));
    }

    @Test
    void anArchiveThatDoesNotTellItsVersionIsAWarningNotAnError() throws IOException {
        Path zip = archive("custom.zip", List.of("lib/rocketmq-broker-custom.jar", "bin/mqbroker"));
        PlanResponse response = plan(null, values(zip.toString(), SHA_A, Value.unknown(TfType.STRING)));
        assertThat(response.attribute("rocketmq_version")).isEqualTo(Value.nullOf(TfType.STRING));
        assertThat(response.diagnostics().all()).singleElement().satisfies(d -> {
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.detail()).contains("custom.zip");
        });
    }
}
