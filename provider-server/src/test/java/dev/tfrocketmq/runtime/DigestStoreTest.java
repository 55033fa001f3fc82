package dev.tfrocketmq.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class DigestStoreTest {
    private static final String DIGEST = "a".repeat(64);

    @TempDir
    Path tmp;

    @Test
    void aDigestIsFoundAgainOnlyForTheSameFileIdentity() {
        DigestStore store = new DigestStore(tmp.resolve("digests"));

        store.put("/opt/a.zip\n10\n1000\n(dev=1,ino=2)", DIGEST);

        assertThat(new DigestStore(tmp.resolve("digests")).get("/opt/a.zip\n10\n1000\n(dev=1,ino=2)"))
                .contains(DIGEST);
        assertThat(store.get("/opt/a.zip\n10\n1001\n(dev=1,ino=2)"))
                .as("rewritten")
                .isEmpty();
        assertThat(store.get("/opt/a.zip\n11\n1000\n(dev=1,ino=2)"))
                .as("resized")
                .isEmpty();
    }

    @Test
    void theStoreDirectoryIsTheUsersOwn() throws Exception {
        new DigestStore(tmp.resolve("digests")).put("x", DIGEST);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("digests"))))
                .isEqualTo("rwx------");
    }

    @Test
    void anEntryThatIsNotADigestIsIgnored() throws Exception {
        DigestStore store = new DigestStore(tmp.resolve("digests"));
        store.put("x", DIGEST);
        try (var entries = Files.list(tmp.resolve("digests"))) {
            Files.writeString(entries.findFirst().orElseThrow(), "not a digest\n");
        }

        assertThat(store.get("x")).isEmpty();
    }

    @Test
    void aStoreThatCannotBeWrittenIsOnlySlower() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain-file"), "in the way");
        DigestStore store = new DigestStore(file.resolve("digests"));

        store.put("x", DIGEST);

        assertThat(store.get("x")).isEmpty();
    }
}
