package dev.tfrocketmq.runtime;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * Turns a configured distribution location into a local archive file.
 *
 * <p>A location is a local path (absolute, relative to the working directory, or starting with
 * {@code ~/}) or a {@code file://}, {@code http://} or {@code https://} URL. URLs are fetched
 * into {@code <cacheDir>/<sha256>.zip} or {@code .tar.gz} and need the expected SHA-256.
 */
public final class DistributionSource {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(2);

    private DistributionSource() {}

    /** The archive to install, downloaded or verified as needed. */
    public static Path resolve(String location, String expectedSha256OrNull, Path cacheDir) {
        requireNonNull(location, "location");
        if (location.isBlank()) {
            throw new DistributionException("the distribution location is empty");
        }
        String expected = expectedSha256OrNull == null || expectedSha256OrNull.isBlank()
                ? null
                : DistributionInstaller.checkSha256(expectedSha256OrNull);
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("file:")) {
            requireNonNull(cacheDir, "cacheDir");
            return fetch(location, expected, cacheDir);
        }
        return local(location, expected);
    }

    private static Path local(String location, String expected) {
        Path path;
        try {
            path = location.equals("~") || location.startsWith("~/")
                    ? Path.of(
                            System.getProperty("user.home"),
                            location.substring(1).replaceFirst("^/", ""))
                    : Path.of(location);
        } catch (InvalidPathException e) {
            throw new DistributionException("distribution path " + location + " is not valid: " + e.getMessage(), e);
        }
        path = path.toAbsolutePath().normalize();
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

    private static Path fetch(String location, String expected, Path cacheDir) {
        URI uri = parse(location);
        String shown = redacted(uri);
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
            if (uri.getScheme().equalsIgnoreCase("file")) {
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

    private static URI parse(String location) {
        try {
            URI uri = new URI(location);
            if (uri.getScheme() == null) {
                throw new URISyntaxException(location, "no scheme");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new DistributionException("distribution URL " + location + " is not valid: " + e.getMessage(), e);
        }
    }

    /** The URL without user information, which may hold a password. */
    private static String redacted(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        try {
            return new URI(
                            uri.getScheme(),
                            "***",
                            uri.getHost(),
                            uri.getPort(),
                            uri.getPath(),
                            uri.getQuery(),
                            uri.getFragment())
                    .toString();
        } catch (URISyntaxException e) {
            return uri.getScheme() + "://***@" + uri.getHost();
        }
    }

    private static DistributionException mismatch(String what, String expected, String actual) {
        return new DistributionException("distribution " + what + " does not match" + " distribution_sha256: expected "
                + expected + ", actual " + actual);
    }
}
