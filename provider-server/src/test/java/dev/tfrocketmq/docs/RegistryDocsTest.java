package dev.tfrocketmq.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class RegistryDocsTest {
    @Test
    void committedDocsMatchTheSchemas() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Map<Path, String> pages = RegistryDocs.pages(root);
        assertThat(pages).isNotEmpty();
        for (Map.Entry<Path, String> page : pages.entrySet()) {
            assertThat(page.getKey())
                    .as("run `make docs` to regenerate %s", page.getKey())
                    .exists();
            assertThat(Files.readString(page.getKey()))
                    .as("docs out of date: run `make docs` (%s)", page.getKey())
                    .isEqualTo(page.getValue());
        }
    }
}
