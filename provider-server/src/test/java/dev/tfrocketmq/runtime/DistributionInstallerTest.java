package dev.tfrocketmq.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tfrocketmq.host.CommandFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributionInstallerTest {

    @TempDir
    Path tmp;

    private final DistributionInstaller installer = new DistributionInstaller();
    private final TestHost host = new TestHost();

    /** Removes the links of {@link #binWithout} so that cleaning up the temp dir stays quiet. */
    @AfterEach
    void removeProgramLinks() throws IOException {
        Path bin = tmp.resolve("bin");
        if (Files.isDirectory(bin)) {
            try (Stream<Path> links = Files.list(bin)) {
                for (Path link : (Iterable<Path>) links::iterator) {
                    Files.delete(link);
                }
            }
        }
    }

    private String installDir() {
        return tmp.resolve("opt/rocketmq").toString();
    }

    @Test
    void digestOfARewrittenArchiveIsComputedAgain() throws IOException {
        Path file = tmp.resolve("digest-me.bin");
        Files.writeString(file, "first");
        String first = DistributionInstaller.sha256(file);
        assertThat(first).isEqualTo(sha("first"));
        assertThat(DistributionInstaller.sha256(file)).isEqualTo(first);
        Files.writeString(file, "second, longer");
        assertThat(DistributionInstaller.sha256(file)).isEqualTo(sha("second, longer"));
    }

    private static String sha(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aZipWithATopLevelDirectoryIsInstalledWithThatDirectoryAsHome() throws Exception {
        Path archive = Archives.zip(tmp.resolve("dist.zip"), Archives.WITH_TOP_DIR);
        String sha = DistributionInstaller.sha256(archive);

        InstalledDistribution installed = installer.ensureInstalled(host, installDir(), archive, sha);

        String root = installDir() + "/dist/" + sha;
        assertThat(installed).isEqualTo(new InstalledDistribution(root, root + "/" + Archives.TOP, sha));
        assertThat(installed.libDir()).isEqualTo(root + "/" + Archives.TOP + "/lib");
        assertThat(Path.of(installed.libDir(), "a.jar")).hasContent("jar a");
        assertThat(Files.readString(Path.of(root, ".complete"))).isEqualTo(Archives.TOP + "\n");
        assertThat(host.uploads()).isEqualTo(1);
        assertThat(entries(Path.of(installDir(), "dist")))
                .as("the installation and the host lock's file")
                .containsExactly(".lock-" + sha, sha);
    }

    @Test
    void aTarGzWithLibAtItsRootIsInstalledWithTheRootAsHome() throws Exception {
        Path archive = Archives.tarGz(tmp.resolve("dist.tar.gz"), Archives.LIB_AT_ROOT);
        String sha = DistributionInstaller.sha256(archive);

        InstalledDistribution installed = installer.ensureInstalled(host, installDir(), archive, sha);

        String root = installDir() + "/dist/" + sha;
        assertThat(installed.home()).isEqualTo(root);
        assertThat(Path.of(installed.libDir(), "a.jar")).hasContent("jar a");
        assertThat(Path.of(root, "conf/broker.conf")).hasContent("brokerName=b");
        assertThat(entries(Path.of(installDir(), "dist")))
                .as("the installation and the host lock's file")
                .containsExactly(".lock-" + sha, sha);
    }

    @Test
    void aTarGzWithATopLevelDirectoryIsInstalled() throws Exception {
        Path archive = Archives.tarGz(tmp.resolve("dist.tgz"), Archives.WITH_TOP_DIR);
        String sha = DistributionInstaller.sha256(archive);

        InstalledDistribution installed = installer.ensureInstalled(host, installDir(), archive, sha);

        assertThat(installed.home()).endsWith("/" + sha + "/" + Archives.TOP);
        assertThat(Path.of(installed.libDir(), "a.jar")).exists();
    }

    @Test
    void aSecondInstallUploadsNothing() throws Exception {
        Path archive = Archives.zip(tmp.resolve("dist.zip"), Archives.WITH_TOP_DIR);
        String sha = DistributionInstaller.sha256(archive);
        InstalledDistribution first = installer.ensureInstalled(host, installDir(), archive, sha);

        TestHost another = new TestHost();
        InstalledDistribution second = new DistributionInstaller().ensureInstalled(another, installDir(), archive, sha);

        assertThat(second).isEqualTo(first);
        assertThat(another.uploads()).isZero();
    }

    @Test
    void anUppercaseShaIsAccepted() throws Exception {
        Path archive = Archives.zip(tmp.resolve("dist.zip"), Archives.WITH_TOP_DIR);
        String sha = DistributionInstaller.sha256(archive);

        InstalledDistribution installed = installer.ensureInstalled(host, installDir(), archive, sha.toUpperCase());

        assertThat(installed.sha256()).isEqualTo(sha);
    }

    @Test
    void anArchiveThatDoesNotMatchItsShaIsRejectedBeforeUploading() throws Exception {
        Path archive = Archives.zip(tmp.resolve("dist.zip"), Archives.WITH_TOP_DIR);
        String wrong = "0".repeat(64);

        assertThatThrownBy(() -> installer.ensureInstalled(host, installDir(), archive, wrong))
                .isInstanceOf(DistributionException.class)
                .hasMessageContaining("expected " + wrong)
                .hasMessageContaining("actual " + DistributionInstaller.sha256(archive));
        assertThat(host.uploads()).isZero();
    }

    @Test
    void anUploadCorruptedOnTheWayIsRejectedOnTheHostAndRemoved() throws Exception {
        Path archive = Archives.zip(tmp.resolve("dist.zip"), Archives.WITH_TOP_DIR);
        String sha = DistributionInstaller.sha256(archive);
        host.corruptingUploads();

        assertThatThrownBy(() -> installer.ensureInstalled(host, installDir(), archive, sha))
                .isInstanceOf(DistributionException.class)
                .hasMessageContaining("on test")
                .hasMessageContaining("expected " + sha);
        assertThat(entries(Path.of(installDir(), "dist")))
                .as("nothing but the host lock's file")
                .containsExactly(".lock-" + sha);
    }

    @Test
    void concurrentInstallsOfOneArchiveUploadItOnce() throws Exception {
        Path archive = Archives.zip(tmp.resolve("dist.zip"), Archives.WITH_TOP_DIR);
        String sha = DistributionInstaller.sha256(archive);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<InstalledDistribution>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return installer.ensureInstalled(host, installDir(), archive, sha);
                }));
            }
            go.countDown();

            for (Future<InstalledDistribution> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS).home())
                        .isEqualTo(installDir() + "/dist/" + sha + "/" + Archives.TOP);
            }
            assertThat(host.uploads()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anArchiveWithoutLibIsRejectedAndLeavesNothingBehind() throws Exception {
        Path archive = Archives.zip(tmp.resolve("dist.zip"), Map.of("a/x.txt", "x", "b/y.txt", "y"));
        String sha = DistributionInstaller.sha256(archive);

        assertThatThrownBy(() -> installer.ensureInstalled(host, installDir(), archive, sha))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("on test")
                .hasMessageContaining("no distribution home");
        assertThat(entries(Path.of(installDir(), "dist")))
                .as("nothing but the host lock's file")
                .containsExactly(".lock-" + sha);
    }

    @Test
    void aFileThatIsNoArchiveIsRejected() throws Exception {
        Path notArchive = tmp.resolve("dist.zip");
        Files.writeString(notArchive, "<html>not found</html>");
        String sha = DistributionInstaller.sha256(notArchive);

        assertThatThrownBy(() -> installer.ensureInstalled(host, installDir(), notArchive, sha))
                .isInstanceOf(DistributionException.class)
                .hasMessageContaining("neither a .zip nor a .tar.gz");
    }

    @Test
    void aZipIsExtractedWithPython3WhenUnzipIsMissing() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        Path archive = Archives.zip(tmp.resolve("dist.zip"), Archives.WITH_TOP_DIR);
        String sha = DistributionInstaller.sha256(archive);
        host.withPath(binWithout("unzip").toString());

        InstalledDistribution installed = installer.ensureInstalled(host, installDir(), archive, sha);

        assertThat(Path.of(installed.libDir(), "a.jar")).hasContent("jar a");
    }

    @Test
    void aZipCannotBeInstalledWithoutUnzipOrPython3AndTheMessageSaysSo() throws Exception {
        Path archive = Archives.zip(tmp.resolve("dist.zip"), Archives.WITH_TOP_DIR);
        String sha = DistributionInstaller.sha256(archive);
        host.withPath(binWithout("unzip", "python3").toString());

        assertThatThrownBy(() -> installer.ensureInstalled(host, installDir(), archive, sha))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("neither unzip nor python3 is installed");
    }

    @Test
    void relativeInstallDirectoriesAndMalformedShasAreRejected() throws Exception {
        Path archive = Archives.zip(tmp.resolve("dist.zip"), Archives.WITH_TOP_DIR);

        assertThatThrownBy(() ->
                        installer.ensureInstalled(host, "opt/rocketmq", archive, DistributionInstaller.sha256(archive)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> installer.ensureInstalled(host, installDir(), archive, "abc"))
                .isInstanceOf(DistributionException.class)
                .hasMessageContaining("64 hexadecimal");
    }

    @Test
    void sha256IsLowercaseHex() throws Exception {
        Path file = tmp.resolve("abc");
        Files.writeString(file, "abc");

        assertThat(DistributionInstaller.sha256(file))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    /** A directory of links to every program in /usr/bin except those named (and their kin). */
    private Path binWithout(String... names) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        try (Stream<Path> programs = Files.list(Path.of("/usr/bin"))) {
            for (Path program : (Iterable<Path>) programs::iterator) {
                String name = program.getFileName().toString();
                if (Stream.of(names).noneMatch(name::startsWith)) {
                    Files.createSymbolicLink(bin.resolve(name), program);
                }
            }
        }
        return bin;
    }

    private static List<String> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
