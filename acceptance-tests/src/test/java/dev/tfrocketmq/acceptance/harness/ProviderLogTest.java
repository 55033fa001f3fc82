package dev.tfrocketmq.acceptance.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ProviderLogTest {
    @TempDir
    Path dir;

    @Test
    void entries_readsJsonLinesWithTheirFields() throws IOException {
        Path log = write(
                "{\"@level\":\"info\",\"@message\":\"distribution uploaded\",\"host\":\"198.18.0.11\","
                        + "\"bytes\":83197409,\"sha256\":\"abc\"}",
                "{\"@level\":\"info\",\"@message\":\"distribution uploaded elsewhere\",\"host\":\"x\"}",
                "{\"@level\":\"debug\",\"@message\":\"something else\"}");
        List<ProviderLog.Entry> entries = ProviderLog.entries(log, "distribution uploaded");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).field("host")).isEqualTo("198.18.0.11");
        assertThat(entries.get(0).field("bytes")).isEqualTo("83197409");
        assertThat(entries.get(0).field("sha256")).isEqualTo("abc");
    }

    @Test
    void entries_readsTerraformsTextFormat() throws IOException {
        Path log = write(
                "2026-01-02T03:04:05.678Z [INFO]  provider.terraform-provider-rocketmq_v0.1.0: "
                        + "distribution uploaded: host=198.18.0.12 bytes=42 sha256=def @module=rocketmq.server "
                        + "note=\"a b\" timestamp=2026-01-02T03:04:05.678Z",
                "2026-01-02T03:04:05.678Z [DEBUG] provider: distribution uploaded to nowhere: host=x");
        List<ProviderLog.Entry> entries = ProviderLog.entries(log, "distribution uploaded");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).field("host")).isEqualTo("198.18.0.12");
        assertThat(entries.get(0).field("bytes")).isEqualTo("42");
        assertThat(entries.get(0).field("note")).isEqualTo("a b");
    }

    @Test
    void entries_ofAMissingFileAreNone() {
        assertThat(ProviderLog.entries(dir.resolve("absent.log"), "distribution uploaded"))
                .isEmpty();
    }

    private Path write(String... lines) throws IOException {
        return Files.write(dir.resolve("terraform.log"), List.of(lines));
    }
}
