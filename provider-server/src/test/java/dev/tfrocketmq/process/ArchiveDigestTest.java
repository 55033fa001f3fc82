package dev.tfrocketmq.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.framework.diag.Diagnostic;
import dev.tfrocketmq.framework.resource.PlanResponse;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.host.UserEnvironment;
import dev.tfrocketmq.runtime.DistributionInstaller;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ArchiveDigestTest {
    private static final TfType.ObjectType TYPE =
            TfType.object(Map.of("distribution", TfType.STRING, "distribution_sha256", TfType.STRING));

    @TempDir
    Path home;

    @TempDir
    Path workdir;

    private UserEnvironment environment() {
        return new UserEnvironment(home, workdir, Map.of());
    }

    private static Value config(String distribution) {
        return Value.object(
                TYPE,
                Map.of("distribution", Value.string(distribution), "distribution_sha256", Value.nullOf(TfType.STRING)));
    }

    private PlanResponse plan(String distribution) {
        Value config = config(distribution);
        PlanResponse response =
                new PlanResponse(config.withAttribute("distribution_sha256", Value.unknown(TfType.STRING)));
        ArchiveDigest.plan(config, response, environment());
        return response;
    }

    private static Path archive(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "not really a zip, but bytes to hash");
        return file;
    }

    @Test
    void aPathUnderTildeIsHashedFromTheUsersHome() throws Exception {
        Path file = archive(home.resolve("dist/rocketmq.zip"));

        PlanResponse response = plan("~/dist/rocketmq.zip");

        assertThat(response.diagnostics().hasErrors())
                .as(response.diagnostics().toString())
                .isFalse();
        assertThat(response.attribute("distribution_sha256").asString()).isEqualTo(DistributionInstaller.sha256(file));
    }

    @Test
    void fileUrlsAreHashedLikeThePathTheyName() throws Exception {
        Path file = archive(workdir.resolve("rocketmq.zip"));
        String sha = DistributionInstaller.sha256(file);

        assertThat(plan("file:" + file).attribute("distribution_sha256").asString())
                .isEqualTo(sha);
        assertThat(plan("file://" + file).attribute("distribution_sha256").asString())
                .isEqualTo(sha);
    }

    @Test
    void aRelativePathIsHashedFromTheUsersWorkingDirectory() throws Exception {
        Path file = archive(workdir.resolve("dist/rocketmq.zip"));

        PlanResponse response = plan("dist/rocketmq.zip");

        assertThat(response.attribute("distribution_sha256").asString()).isEqualTo(DistributionInstaller.sha256(file));
    }

    @Test
    void aMissingArchiveIsNamedWithItsResolvedPath() {
        PlanResponse response = plan("~/nowhere.zip");

        assertThat(response.diagnostics().all())
                .singleElement()
                .satisfies(d -> assertThat(d.summary()).isEqualTo("Distribution archive not found"))
                .extracting(Diagnostic::detail)
                .asString()
                .contains(home.resolve("nowhere.zip").toString());
    }

    @Test
    void aDownloadWithoutADeclaredShaAsksForDistributionSha256() {
        PlanResponse response = plan("https://example.com/rocketmq.zip");

        assertThat(response.diagnostics().all())
                .singleElement()
                .extracting(Diagnostic::summary)
                .isEqualTo("distribution_sha256 is required for URLs");
        assertThat(response.attribute("distribution_sha256").isKnown()).isFalse();
    }

    @Test
    void aDeclaredShaIsKeptWithoutReadingTheArchive() {
        String declared = "a".repeat(64);
        Value config = config("~/nowhere.zip").withAttribute("distribution_sha256", Value.string(declared));
        PlanResponse response = new PlanResponse(config);

        ArchiveDigest.plan(config, response, environment());

        assertThat(response.diagnostics().all()).isEmpty();
        assertThat(response.attribute("distribution_sha256").asString()).isEqualTo(declared);
    }
}
