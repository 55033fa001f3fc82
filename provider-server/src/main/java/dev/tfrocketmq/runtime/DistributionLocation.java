package dev.tfrocketmq.runtime;

import static java.util.Objects.requireNonNull;

import dev.tfrocketmq.host.UserEnvironment;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a distribution archive comes from, as the {@code distribution} attribute says: a local path (absolute,
 * {@code ~/...}, or relative to the working directory) or a {@code file:}, {@code http://} or {@code https://} URL.
 * The one parser of that attribute: plan (which hashes local files) and apply (which fetches) read it alike.
 */
public sealed interface DistributionLocation {

    /** An archive on the machine running Terraform, named by a path. */
    record LocalPath(Path path) implements DistributionLocation {
        public LocalPath {
            requireNonNull(path, "path");
        }

        @Override
        public Optional<Path> localFile() {
            return Optional.of(path);
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** An archive named by a URL; {@code file:} URLs name a local file too. */
    record Url(URI uri) implements DistributionLocation {
        public Url {
            requireNonNull(uri, "uri");
        }

        public boolean isFile() {
            return uri.getScheme().equalsIgnoreCase("file");
        }

        @Override
        public Optional<Path> localFile() {
            if (!isFile()) {
                return Optional.empty();
            }
            try {
                return Optional.of(Path.of(uri));
            } catch (IllegalArgumentException e) {
                throw new DistributionException(
                        "distribution URL " + uri + " does not name a local file: " + e.getMessage(), e);
            }
        }

        /** The URL without user information, which may hold a password. */
        public String redacted() {
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

        @Override
        public String toString() {
            return redacted();
        }
    }

    /** The local file whose SHA-256 can be computed without downloading; empty for http(s) URLs. */
    Optional<Path> localFile();

    /** Parses {@code text}; {@code ~} and relative paths are resolved in {@code environment}. */
    static DistributionLocation parse(String text, UserEnvironment environment) {
        requireNonNull(text, "location");
        requireNonNull(environment, "environment");
        if (text.isBlank()) {
            throw new DistributionException("the distribution location is empty");
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("file:")) {
            try {
                URI uri = new URI(text);
                if (uri.getScheme() == null) {
                    throw new URISyntaxException(text, "no scheme");
                }
                return new Url(uri);
            } catch (URISyntaxException e) {
                throw new DistributionException("distribution URL " + text + " is not valid: " + e.getMessage(), e);
            }
        }
        try {
            return new LocalPath(environment.resolve(text));
        } catch (InvalidPathException e) {
            throw new DistributionException("distribution path " + text + " is not valid: " + e.getMessage(), e);
        }
    }
}
