package dev.tfrocketmq.component;

import dev.tfrocketmq.runtime.DistributionInstaller;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** SHA-256 of local archives, remembered per path, size and modification time for the life of the process. */
final class Shas {
    private record Key(Path path, long size, long modified) {}

    private static final Map<Key, String> CACHE = new ConcurrentHashMap<>();

    private Shas() {}

    static String of(Path file) throws IOException {
        Path real = file.toRealPath();
        Key key = new Key(real, Files.size(real), Files.getLastModifiedTime(real).toMillis());
        String cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        String sha = DistributionInstaller.sha256(real);
        CACHE.put(key, sha);
        return sha;
    }
}
