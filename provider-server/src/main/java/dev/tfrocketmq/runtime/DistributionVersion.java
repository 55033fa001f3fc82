package dev.tfrocketmq.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Enumeration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Which RocketMQ version a distribution archive holds, read from the names of its server jars
 * ({@code lib/rocketmq-broker-5.3.3.jar}, {@code lib/rocketmq-namesrv-5.3.3.jar}) without extracting anything: a zip's
 * central directory, or a .tar.gz's entry headers. Official release archives and the ones this project builds name
 * their jars alike.
 */
public final class DistributionVersion {

    /** A server jar in {@code lib/}, at the archive's root or in one top-level directory. */
    private static final Pattern SERVER_JAR =
            Pattern.compile("(?:\\./)?(?:[^/]+/)?lib/rocketmq-(broker|namesrv)-([0-9][0-9A-Za-z.-]*)\\.jar");

    /** Plan, validate and apply ask for the same archive's version: read its entries once per file as last seen. */
    private static final ConcurrentMap<FileKey, Optional<RocketMqVersion>> SEEN = new ConcurrentHashMap<>();

    private record FileKey(Path realPath, long size, long modifiedMillis, String fileKey) {}

    private DistributionVersion() {}

    /** {@link #detect}, remembered per file (a rewritten file, with another size, time or inode, is read again). */
    public static Optional<RocketMqVersion> of(Path archive) {
        FileKey key;
        try {
            BasicFileAttributes attributes = Files.readAttributes(archive, BasicFileAttributes.class);
            key = new FileKey(
                    archive.toRealPath(),
                    attributes.size(),
                    attributes.lastModifiedTime().toMillis(),
                    String.valueOf(attributes.fileKey()));
        } catch (IOException e) {
            throw new DistributionException("cannot read distribution archive " + archive + ": " + e, e);
        }
        Optional<RocketMqVersion> known = SEEN.get(key);
        if (known != null) {
            return known;
        }
        Optional<RocketMqVersion> version = detect(archive);
        SEEN.put(key, version);
        return version;
    }

    /**
     * The RocketMQ version of {@code archive}, or empty when it holds no RocketMQ broker or name-server jar (it is not a
     * RocketMQ distribution, or its version is not a release number).
     *
     * @throws DistributionException when the archive cannot be read, or its broker and name server differ in version
     */
    public static Optional<RocketMqVersion> detect(Path archive) {
        Map<String, String> jars = new TreeMap<>();
        Consumer<String> entry = name -> {
            Matcher m = SERVER_JAR.matcher(name);
            if (m.matches()) {
                jars.put(name.substring(name.lastIndexOf('/') + 1), m.group(2));
            }
        };
        try {
            switch (ArchiveKind.detect(archive)) {
                case ZIP -> zipEntries(archive, entry);
                case TAR_GZ -> tarEntries(archive, entry);
            }
        } catch (IOException e) {
            throw new DistributionException("cannot read the entries of distribution archive " + archive + ": " + e, e);
        }
        Set<String> versions = new TreeSet<>(jars.values());
        if (versions.isEmpty()) {
            return Optional.empty();
        }
        if (versions.size() > 1) {
            throw new DistributionException("distribution archive " + archive + " mixes RocketMQ versions: "
                    + String.join(", ", jars.keySet()) + "; use the archive of one release");
        }
        return RocketMqVersion.parse(versions.iterator().next());
    }

    private static void zipEntries(Path archive, Consumer<String> entry) throws IOException {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                entry.accept(entries.nextElement().getName());
            }
        }
    }

    /** Reads tar headers only, skipping file contents; knows ustar prefixes, GNU long names and pax paths. */
    private static void tarEntries(Path archive, Consumer<String> entry) throws IOException {
        try (InputStream in =
                new BufferedInputStream(new GZIPInputStream(Files.newInputStream(archive), 1 << 16), 1 << 16)) {
            byte[] header = new byte[512];
            String longName = null;
            while (in.readNBytes(header, 0, 512) == 512 && !zeros(header)) {
                long size = number(header, 124, 12);
                long padded = (size + 511) / 512 * 512;
                byte type = header[156];
                if (type == 'L' || type == 'x') {
                    if (size > 1 << 20) {
                        throw new IOException("tar extension header of " + size + " bytes");
                    }
                    byte[] data = in.readNBytes((int) size);
                    in.skipNBytes(padded - size);
                    longName = type == 'L' ? text(data, 0, data.length) : paxPath(data);
                    continue;
                }
                String name = longName;
                if (name == null) {
                    name = text(header, 0, 100);
                    String magic = text(header, 257, 5);
                    String prefix = text(header, 345, 155);
                    if (magic.equals("ustar") && !prefix.isEmpty()) {
                        name = prefix + "/" + name;
                    }
                }
                longName = null;
                entry.accept(name);
                in.skipNBytes(padded);
            }
        }
    }

    private static boolean zeros(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** A NUL-terminated string field. */
    private static String text(byte[] data, int offset, int length) {
        int end = offset;
        while (end < offset + length && data[end] != 0) {
            end++;
        }
        return new String(data, offset, end - offset, UTF_8);
    }

    /** An octal number field, or a base-256 one (GNU, for sizes of 8 GiB and more). */
    private static long number(byte[] data, int offset, int length) throws IOException {
        if ((data[offset] & 0x80) != 0) {
            long value = data[offset] & 0x7f;
            for (int i = offset + 1; i < offset + length; i++) {
                value = (value << 8) | (data[i] & 0xff);
            }
            return value;
        }
        String octal = text(data, offset, length).strip();
        try {
            return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
        } catch (NumberFormatException e) {
            throw new IOException("not a tar archive (bad size field \"" + octal + "\")", e);
        }
    }

    /** The {@code path} record of a pax extended header ("LEN path=VALUE\n" records), or null. */
    private static String paxPath(byte[] data) {
        for (String record : new String(data, UTF_8).split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }
}
