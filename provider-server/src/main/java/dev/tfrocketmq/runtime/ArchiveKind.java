package dev.tfrocketmq.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Archive formats a distribution may come in, recognised by their first bytes. */
enum ArchiveKind {
    ZIP(".zip", "zip"),
    TAR_GZ(".tar.gz", "tgz");

    private final String extension;
    private final String scriptName;

    ArchiveKind(String extension, String scriptName) {
        this.extension = extension;
        this.scriptName = scriptName;
    }

    String extension() {
        return extension;
    }

    /** The name the install script knows this kind by. */
    String scriptName() {
        return scriptName;
    }

    static ArchiveKind detect(Path archive) {
        byte[] head = new byte[4];
        int read;
        try (InputStream in = Files.newInputStream(archive)) {
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new DistributionException("cannot read distribution archive " + archive + ": " + e, e);
        }
        if (read >= 4
                && head[0] == 'P'
                && head[1] == 'K'
                && (head[2] == 3 || head[2] == 5)
                && (head[3] == 4 || head[3] == 6)) {
            return ZIP;
        }
        if (read >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return TAR_GZ;
        }
        throw new DistributionException(
                "distribution archive " + archive + " is neither a .zip nor a .tar.gz/.tgz archive");
    }
}
