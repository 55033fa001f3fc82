package dev.tfrocketmq.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.tfrocketmq.host.UserEnvironment;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributionSourceTest {

    @TempDir
    Path tmp;

    /** The location as the provider reads it for the user this JVM runs as, fetched into {@code cache}. */
    private static Path resolve(String location, String sha256, Path cache) {
        return DistributionSource.resolve(
                DistributionLocation.parse(location, UserEnvironment.fromProcess()), sha256, cache);
    }

    @Test
    void aFileUrlWithItsShaIsCopiedIntoTheCacheUnderItsSha() throws Exception {
        Path archive = Archives.zip(tmp.resolve("dist.zip"), Archives.WITH_TOP_DIR);
        String sha = DistributionInstaller.sha256(archive);
        Path cache = tmp.resolve("cache");

        Path resolved = resolve(archive.toUri().toString(), sha, cache);

        assertThat(resolved).isEqualTo(cache.resolve(sha + ".zip"));
        assertThat(resolved).hasSameBinaryContentAs(archive);
        try (var entries = Files.list(cache)) {
            assertThat(entries).containsExactly(resolved);
        }
    }

    @Test
    void aUrlWithoutAShaIsRejectedAskingForDistributionSha256() throws Exception {
        Path archive = Archives.zip(tmp.resolve("dist.zip"), Archives.WITH_TOP_DIR);

        assertThatThrownBy(() -> resolve(archive.toUri().toString(), null, tmp))
                .isInstanceOf(DistributionException.class)
                .hasMessageContaining("distribution_sha256");
        assertThatThrownBy(() -> resolve("https://example.invalid/x.zip", " ", tmp))
                .isInstanceOf(DistributionException.class)
                .hasMessageContaining("distribution_sha256");
    }

    @Test
    void aUrlWhoseContentHasAnotherShaIsRejectedAndNotCached() throws Exception {
        Path archive = Archives.zip(tmp.resolve("dist.zip"), Archives.WITH_TOP_DIR);
        String wrong = "a".repeat(64);
        Path cache = tmp.resolve("cache");

        assertThatThrownBy(() -> resolve(archive.toUri().toString(), wrong, cache))
                .isInstanceOf(DistributionException.class)
                .hasMessageContaining("expected " + wrong)
                .hasMessageContaining("actual " + DistributionInstaller.sha256(archive));
        try (var entries = Files.list(cache)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void anHttpUrlIsDownloadedOnceAndThenServedFromTheCache() throws Exception {
        Path archive = Archives.tarGz(tmp.resolve("dist.tgz"), Archives.WITH_TOP_DIR);
        byte[] body = Files.readAllBytes(archive);
        String sha = DistributionInstaller.sha256(archive);
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/rocketmq.tgz", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/rocketmq.tgz";
            Path cache = tmp.resolve("cache");

            Path first = resolve(url, sha, cache);
            Path second = resolve(url, sha, cache);

            assertThat(first).isEqualTo(cache.resolve(sha + ".tar.gz")).hasSameBinaryContentAs(archive);
            assertThat(second).isEqualTo(first);
            assertThat(requests).hasValue(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anHttpErrorIsReportedWithItsStatus() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://user:secret@127.0.0.1:" + server.getAddress().getPort() + "/x.zip";

            assertThatThrownBy(() -> resolve(url, "b".repeat(64), tmp))
                    .isInstanceOf(DistributionException.class)
                    .hasMessageContaining("HTTP status 404")
                    .hasMessageNotContaining("secret");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aLocalPathIsReturnedAsItIsAndCheckedAgainstAGivenSha() throws Exception {
        Path archive = Archives.zip(tmp.resolve("dist.zip"), Archives.WITH_TOP_DIR);
        String sha = DistributionInstaller.sha256(archive);

        assertThat(resolve(archive.toString(), null, tmp)).isEqualTo(archive);
        assertThat(resolve(archive.toString(), sha, tmp)).isEqualTo(archive);
        assertThatThrownBy(() -> resolve(archive.toString(), "c".repeat(64), tmp))
                .isInstanceOf(DistributionException.class)
                .hasMessageContaining("expected " + "c".repeat(64))
                .hasMessageContaining("actual " + sha);
    }

    @Test
    void aRelativeLocalPathIsResolvedAgainstTheWorkingDirectory() throws Exception {
        Path cwd = Path.of("").toAbsolutePath();
        Path archive = Archives.zip(Files.createTempFile(cwd, "dist-", ".zip"), Archives.WITH_TOP_DIR);
        try {
            Path resolved = resolve(archive.getFileName().toString(), null, tmp);

            assertThat(resolved).isEqualTo(archive);
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    @Test
    void aMissingLocalPathOrADirectoryIsRejected() {
        assertThatThrownBy(() -> resolve(tmp.resolve("nope.zip").toString(), null, tmp))
                .isInstanceOf(DistributionException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> resolve(tmp.toString(), null, tmp))
                .isInstanceOf(DistributionException.class)
                .hasMessageContaining("not a regular file");
    }
}
