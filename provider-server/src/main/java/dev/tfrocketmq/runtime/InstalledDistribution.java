package dev.tfrocketmq.runtime;

import static java.util.Objects.requireNonNull;

/**
 * A distribution extracted on a host.
 *
 * @param root   {@code <installDir>/dist/<sha256>}
 * @param home   the directory that contains {@code lib/}: {@code root} or a directory in it
 * @param sha256 SHA-256 of the archive it came from, lowercase hex
 */
public record InstalledDistribution(String root, String home, String sha256) {

    public InstalledDistribution {
        requireNonNull(root, "root");
        requireNonNull(home, "home");
        requireNonNull(sha256, "sha256");
    }

    public String libDir() {
        return home + "/lib";
    }
}
