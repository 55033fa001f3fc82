package dev.tfrocketmq.runtime;

import dev.tfrocketmq.host.LocalHost;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small distribution archives made on the fly. */
final class Archives {

    static final String TOP = "rocketmq-all-5.3.3-bin-release";
    static final Map<String, String> WITH_TOP_DIR = Map.of(
            TOP + "/lib/a.jar", "jar a",
            TOP + "/bin/mqnamesrv", "#!/bin/sh\n",
            TOP + "/LICENSE", "license");
    static final Map<String, String> LIB_AT_ROOT = Map.of(
            "lib/a.jar", "jar a",
            "conf/broker.conf", "brokerName=b\n");

    private Archives() {}

    static Path zip(Path file, Map<String, String> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> entry : new TreeMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return file;
    }

    static Path tarGz(Path file, Map<String, String> entries) throws IOException {
        Path source = Files.createTempDirectory(file.getParent(), "tar-source-");
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            Path path = source.resolve(entry.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, entry.getValue());
        }
        List<String> argv = List.of("tar", "-czf", file.toString(), "-C", source.toString(), ".");
        if (!LocalHost.instance().exec(argv, Duration.ofSeconds(10)).ok()) {
            throw new IOException("tar failed");
        }
        return file;
    }
}
