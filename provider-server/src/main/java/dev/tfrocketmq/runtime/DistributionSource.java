package dev.tfrocketmq.runtime;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a parsed distribution location into a local archive file.
 *
 * <p>A local path is used where it is. URLs ({@code file:} ones too) are fetched into
 * {@code <cacheDir>/<sha256>.zip} or {@code .tar.gz} and need the expected SHA-256.
 */
public final class DistributionSource {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(2);

    private DistributionSource() {}

    /** The archive to install, downloaded or verified as needed. */
    public static Path resolve(DistributionLocation location, String expectedSha256OrNull, Path cacheDir) {
        requireNonNull(location, "location");
        String expected = expectedSha256OrNull == null || expectedSha256OrNull.isBlank()
                ? null
                : DistributionInstaller.checkSha256(expectedSha256OrNull);
        if (location instanceof DistributionLocation.Url url) {
            requireNonNull(cacheDir, "cacheDir");
            return fetch(url, expected, cacheDir);
        }
        return local(((DistributionLocation.LocalPath) location).path(), expected);
    }

    /** The download of {@code sha256} already in {@code cacheDir}, if any: what plan may read without fetching. */
    public static Optional<Path> cached(String sha256, Path cacheDir) {
        for (ArchiveKind kind : ArchiveKind.values()) {
            Path cached = cacheDir.resolve(sha256 + kind.extension());
            if (Files.isRegularFile(cached)) {
                return Optional.of(cached);
            }
        }
        return Optional.empty();
    }

    private static Path local(Path path, String expected) {
        if (!Files.exists(path)) {
            throw new DistributionException("distribution file " + path + " does not exist");
        }
        if (!Files.isRegularFile(path)) {
            throw new DistributionException("distribution " + path + " is not a regular file");
        }
        if (expected != null) {
            String actual = DistributionInstaller.sha256(path);
            if (!actual.equals(expected)) {
                throw mismatch(path.toString(), expected, actual);
            }
        }
        return path;
    }

    private static Path fetch(DistributionLocation.Url url, String expected, Path cacheDir) {
        URI uri = url.uri();
        String shown = url.redacted();
        if (expected == null) {
            throw new DistributionException("distribution " + shown + " is a URL; set"
                    + " distribution_sha256 to the archive's SHA-256 so the download can be verified");
        }
        for (ArchiveKind kind : ArchiveKind.values()) {
            Path cached = cacheDir.resolve(expected + kind.extension());
            if (Files.isRegularFile(cached)) {
                return cached;
            }
        }
        Path temp = null;
        try {
            Files.createDirectories(cacheDir);
            temp = cacheDir.resolve(".download-" + UUID.randomUUID() + ".part");
            if (url.isFile()) {
                Files.copy(Path.of(uri), temp);
            } else {
                download(uri, shown, temp);
            }
            String actual = DistributionInstaller.sha256(temp);
            if (!actual.equals(expected)) {
                throw mismatch(shown, expected, actual);
            }
            Path target = cacheDir.resolve(expected + ArchiveKind.detect(temp).extension());
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException | IllegalArgumentException e) {
            throw new DistributionException("cannot fetch distribution " + shown + " into " + cacheDir + ": " + e, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // A leftover partial download is replaced by the next attempt.
                }
            }
        }
    }

    private static void download(URI uri, String shown, Path temp) throws IOException {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        HttpRequest request =
                HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).GET().build();
        HttpResponse<Path> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofFile(temp));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DistributionException("download of " + shown + " was interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new DistributionException("download of " + shown + " failed: HTTP status " + response.statusCode());
        }
    }

    private static DistributionException mismatch(String what, String expected, String actual) {
        return new DistributionException("distribution " + what + " does not match" + " distribution_sha256: expected "
                + expected + ", actual " + actual);
    }
}
