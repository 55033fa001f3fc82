package dev.tfrocketmq.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tfrocketmq.framework.log.Log;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * SHA-256 digests of local archives kept on disk, so that a backend that has just started does not read a 90 MB
 * archive again to plan it (a second and a half on a cold JVM). An entry is found only for the same file as last
 * seen: the same real path, size, modification time and inode. The directory is the user's own (0700); a digest read
 * from it is only ever compared again with the archive's bytes where they are unpacked.
 */
public final class DigestStore {
    private static final Log LOG = Log.named("install");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path directory;

    public DigestStore(Path directory) {
        this.directory = directory;
    }

    /** The store in the user's cache directory ({@code $XDG_CACHE_HOME} or {@code ~/.cache}). */
    public static DigestStore inUserCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache =
                xdg != null && xdg.startsWith("/") ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new DigestStore(cache.resolve("terraform-provider-rocketmq").resolve("archive-digests"));
    }

    /** The digest recorded for a file identity, if any. */
    Optional<String> get(String identity) {
        try {
            String text = Files.readString(entry(identity), UTF_8).strip();
            return SHA256.matcher(text).matches() ? Optional.of(text) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Records a digest; a store that cannot be written is only slower. */
    void put(String identity, String sha256) {
        try {
            Files.createDirectories(
                    directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path temp = Files.createTempFile(directory, ".digest", ".tmp");
            Files.writeString(temp, sha256 + "\n", UTF_8);
            try {
                Files.move(temp, entry(identity), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, entry(identity), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("archive digest not stored", "directory", directory.toString(), "error", e.toString());
        }
    }

    private Path entry(String identity) {
        try {
            byte[] name = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(UTF_8));
            return directory.resolve(HexFormat.of().formatHex(name));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
