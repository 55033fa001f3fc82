package dev.tfrocketmq.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.host.CommandFailedException;
import dev.tfrocketmq.host.ExecResult;
import dev.tfrocketmq.host.Host;
import dev.tfrocketmq.host.HostException;
import dev.tfrocketmq.host.HostLock;
import dev.tfrocketmq.host.OperationCancelledException;
import dev.tfrocketmq.host.ShellScript;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Content-addressed installation of a distribution archive on a host.
 *
 * <p>The archive is extracted into {@code <installDir>/dist/<sha256>/}, and a {@code .complete}
 * file in it holds the path of the distribution home relative to it. Once that file exists the
 * installation is never touched again, so components that share a host share one upload.
 *
 * <p>An installation happens under a lock on the host ({@code <installDir>/dist/.lock-<sha256>}, see
 * {@link HostLock}), so provider processes that share a host upload and extract a version once between them, and
 * a stopped installation (the host's cancellation, such as Ctrl-C) leaves nothing the next one trips over: its
 * partial upload and extraction are removed then, or at the latest by the next installation.
 */
public final class DistributionInstaller {

    private static final Log LOG = Log.named("install");

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Duration VERIFY_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration EXTRACT_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration CLEANUP_TIMEOUT = Duration.ofMinutes(1);
    /** An installation of the same archive by another process on the host may take this long (upload, extraction). */
    private static final Duration LOCK_WAIT = Duration.ofMinutes(15);

    private static final long POLL_MILLIS = 100;

    private static final String VERIFY_SCRIPT = """
      if command -v sha256sum >/dev/null 2>&1; then
        sum=$(sha256sum "$1") || exit 1
      elif command -v shasum >/dev/null 2>&1; then
        sum=$(shasum -a 256 "$1") || exit 1
      else
        echo "neither sha256sum nor shasum is installed on this host" >&2
        exit 3
      fi
      printf '%s\\n' "${sum%% *}"
      """;

    /** $1 archive, $2 kind (zip|tgz), $3 extract dir, $4 final dir; prints the relative home. */
    private static final String INSTALL_SCRIPT = """
      archive=$1 kind=$2 extract=$3 final=$4
      rm -rf "$extract" && mkdir -p "$extract" || exit 1
      case $kind in
        zip)
          if command -v unzip >/dev/null 2>&1; then
            unzip -q -o "$archive" -d "$extract" || exit 1
          elif command -v python3 >/dev/null 2>&1; then
            python3 -m zipfile -e "$archive" "$extract" || exit 1
          else
            echo "cannot extract a .zip distribution: neither unzip nor python3 is installed on" \\
              "this host; install unzip or use a .tar.gz distribution" >&2
            exit 3
          fi ;;
        tgz)
          tar -xzf "$archive" -C "$extract" || exit 1 ;;
        *)
          echo "unknown archive kind: $kind" >&2
          exit 2 ;;
      esac
      if [ -d "$extract/lib" ]; then
        home=.
      else
        home= found=0
        for entry in "$extract"/* "$extract"/.[!.]* "$extract"/..?*; do
          if [ -d "$entry/lib" ]; then
            found=$((found + 1))
            home=${entry##*/}
          fi
        done
        if [ "$found" -ne 1 ]; then
          echo "the archive has no distribution home: expected a lib/ directory at its root or" \\
            "in exactly one top-level directory, found $found; top-level entries:" >&2
          ls -A "$extract" | head -n 20 >&2
          exit 4
        fi
      fi
      rm -rf "$final" && mv "$extract" "$final" || exit 1
      printf '%s\\n' "$home" >"$final/.complete.tmp" || exit 1
      mv -f "$final/.complete.tmp" "$final/.complete" || exit 1
      rm -f "$archive"
      printf '%s\\n' "$home"
      """;

    /** $1 dist dir, $2.. prefixes of leftovers in it to remove. */
    private static final String SWEEP_SCRIPT = """
      d=$1
      shift
      [ -d "$d" ] || exit 0
      for p in "$@"; do
        for f in "$d/$p"*; do
          if [ -e "$f" ]; then rm -rf -- "$f" || exit 1; fi
        done
      done
      exit 0
      """;

    /**
     * Shared by all instances, so that two installers in one JVM wait for each other here, at once, rather than by
     * polling the host's lock.
     */
    private static final ConcurrentMap<String, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    /** $1 dir. Prints the kilobytes available to the user on the file system holding dir. */
    private static final String FREE_SPACE_SCRIPT = """
      d=$1
      while [ ! -e "$d" ]; do d=${d%/*}; [ -n "$d" ] || d=/; done
      df -Pk "$d" 2>/dev/null | awk 'NR == 2 { print $4 }'
      """;

    /**
     * The archive and its extracted copy must fit: about three times its size (upload, unpacked jars, room to
     * spare). A full disk otherwise shows up as SFTP's bare "Failure" halfway through an upload.
     */
    private static void requireSpace(Host host, String dir, long archiveBytes) {
        ExecResult result = host.exec(ShellScript.argv(FREE_SPACE_SCRIPT, dir), Duration.ofSeconds(30));
        String text = result.stdout().strip();
        if (!result.ok() || !text.matches("[0-9]+")) {
            return; // no df here: the upload itself will tell
        }
        long freeBytes = Long.parseLong(text) * 1024;
        long needed = archiveBytes * 3;
        if (freeBytes < needed) {
            throw new DistributionException("not enough space on " + host.name() + " for the distribution in " + dir
                    + ": it needs about " + needed / (1024 * 1024) + " MB (the archive and its unpacked files), "
                    + freeBytes / (1024 * 1024) + " MB are free. Free some space or choose another install_dir");
        }
    }

    /** Told of every archive actually uploaded (not of installs found already complete). */
    public interface UploadListener {
        void uploaded(String hostName, long bytes, String sha256);
    }

    private final UploadListener listener;

    public DistributionInstaller() {
        this((hostName, bytes, sha256) -> {});
    }

    public DistributionInstaller(UploadListener listener) {
        this.listener = requireNonNull(listener, "listener");
    }

    /**
     * Installs {@code localArchive} under {@code installDir} on {@code host} unless it is there
     * already. {@code sha256} must be the archive's SHA-256; it is checked locally before the
     * upload and again on the host after it.
     */
    public InstalledDistribution ensureInstalled(Host host, String installDir, Path localArchive, String sha256) {
        requireNonNull(host, "host");
        requireNonNull(localArchive, "localArchive");
        String dir = RemotePath.checkAbsolute("install directory", installDir, 1);
        String sha = checkSha256(sha256);
        String distDir = (dir.equals("/") ? "" : dir) + "/dist";
        String root = distDir + "/" + sha;

        ReentrantLock lock = LOCKS.computeIfAbsent(host.name() + '\0' + dir + '\0' + sha, key -> new ReentrantLock());
        lockWithin(lock, host, root);
        try {
            Optional<InstalledDistribution> existing = installed(host, root, sha);
            if (existing.isPresent()) {
                return existing.get();
            }
            String localSha = sha256(localArchive);
            if (!localSha.equals(sha)) {
                throw new DistributionException("distribution archive " + localArchive
                        + " does not match its expected SHA-256: expected " + sha + ", actual " + localSha);
            }
            try (HostLock onHost = HostLock.acquire(
                    host,
                    distDir + "/.lock-" + sha,
                    "installing " + localArchive.getFileName() + " into " + root,
                    LOCK_WAIT)) {
                // Another process may have installed it while this one waited for the lock.
                existing = installed(host, root, sha);
                if (existing.isPresent()) {
                    return existing.get();
                }
                return install(host, distDir, root, localArchive, sha);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Uploads, checks and extracts the archive; the caller holds the host's lock for it. */
    private InstalledDistribution install(Host host, String distDir, String root, Path localArchive, String sha) {
        ArchiveKind kind = ArchiveKind.detect(localArchive);
        String upload = distDir + "/.upload-" + sha + kind.extension();
        String extract = distDir + "/.extract-" + sha;
        // What an installation that was stopped or killed left behind (under the lock, nobody else uses it).
        List<String> sweep = ShellScript.argv(SWEEP_SCRIPT, distDir, ".upload-" + sha, ".extract-" + sha);
        ExecResult swept = host.exec(sweep, CLEANUP_TIMEOUT);
        if (!swept.ok()) {
            throw new CommandFailedException(
                    host.name(), "removing an earlier partial upload in " + distDir, sweep, swept);
        }
        long size = sizeOf(localArchive);
        requireSpace(host, distDir, size);
        LOG.info("uploading distribution", "host", host.name(), "bytes", size, "sha256", sha, "to", upload);
        try {
            host.upload(localArchive, upload);
        } catch (RuntimeException e) {
            cleanUp(host, e, upload);
            throw e;
        }
        listener.uploaded(host.name(), size, sha);
        try {
            verifyOnHost(host, upload, sha);
            List<String> argv = ShellScript.argv(INSTALL_SCRIPT, upload, kind.scriptName(), extract, root);
            ExecResult result = host.exec(argv, EXTRACT_TIMEOUT);
            if (!result.ok()) {
                throw new CommandFailedException(
                        host.name(),
                        "extracting distribution " + localArchive.getFileName() + " into " + root,
                        argv,
                        result);
            }
            return new InstalledDistribution(root, homePath(root, result.stdout()), sha);
        } catch (RuntimeException e) {
            cleanUp(host, e, upload, extract);
            throw e;
        }
    }

    /** Takes the in-process lock, giving up when the host's cancellation fires. */
    private static void lockWithin(ReentrantLock lock, Host host, String root) {
        Cancellation cancellation = host.cancellation();
        try {
            while (!lock.tryLock(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (cancellation.isCancelled()) {
                    throw new OperationCancelledException(host.name(), "waiting to install into " + root);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationCancelledException(host.name(), "waiting to install into " + root);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /** SHA-256 of a local file, lowercase hex. */
    public static String sha256(Path file) {
        DigestKey key;
        try {
            var attributes = Files.readAttributes(file, BasicFileAttributes.class);
            key = new DigestKey(
                    file.toRealPath(),
                    attributes.size(),
                    attributes.lastModifiedTime().toMillis(),
                    String.valueOf(attributes.fileKey()));
        } catch (IOException e) {
            throw new DistributionException("cannot read " + file + ": " + e, e);
        }
        // Plan, download check and upload all ask for the same archive's digest: read it once per process, and once
        // per file as long as it is not rewritten.
        return DIGESTS.computeIfAbsent(key, k -> {
            String identity = k.realPath() + "\n" + k.size() + "\n" + k.modifiedMillis() + "\n" + k.fileKey();
            return STORE.get(identity).orElseGet(() -> {
                String computed = digest(file);
                STORE.put(identity, computed);
                return computed;
            });
        });
    }

    private static final DigestStore STORE = DigestStore.inUserCache();

    /** A file as last seen: a rewritten file gets a new key (size, modification time or inode change). */
    private record DigestKey(Path realPath, long size, long modifiedMillis, String fileKey) {}

    private static final ConcurrentMap<DigestKey, String> DIGESTS = new ConcurrentHashMap<>();

    private static String digest(Path file) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new DistributionException("cannot read " + file + ": " + e, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String checkSha256(String sha256) {
        requireNonNull(sha256, "sha256");
        String normalized = sha256.strip().toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(normalized).matches()) {
            throw new DistributionException("a SHA-256 must be 64 hexadecimal characters, got \"" + sha256 + "\"");
        }
        return normalized;
    }

    private static Optional<InstalledDistribution> installed(Host host, String root, String sha) {
        String marker = root + "/.complete";
        return host.readFile(marker)
                .map(content -> new InstalledDistribution(root, homePath(root, new String(content, UTF_8)), sha));
    }

    private static String homePath(String root, String relativeHome) {
        String home = relativeHome.strip();
        if (home.equals(".")) {
            return root;
        }
        if (home.isEmpty() || home.equals("..") || home.contains("/") || home.contains("\n")) {
            throw new DistributionException("the installation marker " + root + "/.complete names no"
                    + " usable distribution home (\"" + home + "\"); delete " + root + " and apply again");
        }
        return root + "/" + home;
    }

    private static void verifyOnHost(Host host, String upload, String sha) {
        List<String> argv = ShellScript.argv(VERIFY_SCRIPT, upload);
        ExecResult result = host.exec(argv, VERIFY_TIMEOUT);
        if (!result.ok()) {
            throw new CommandFailedException(host.name(), "checking the SHA-256 of " + upload, argv, result);
        }
        String actual = result.stdout().strip().toLowerCase(Locale.ROOT);
        if (!actual.equals(sha)) {
            throw new DistributionException("the distribution uploaded to " + upload + " on "
                    + host.name() + " does not match its expected SHA-256: expected " + sha + ", actual "
                    + actual + "; the transfer was corrupted or the file was changed on the host");
        }
    }

    /** Removes what a failed installation left; also when it failed because it was cancelled. */
    private static void cleanUp(Host host, RuntimeException failure, String... paths) {
        try {
            List<String> argv = new ArrayList<>(List.of("rm", "-rf", "--"));
            argv.addAll(List.of(paths));
            host.withCancellation(new Cancellation()).exec(argv, CLEANUP_TIMEOUT);
        } catch (HostException e) {
            failure.addSuppressed(e);
        }
    }
}
