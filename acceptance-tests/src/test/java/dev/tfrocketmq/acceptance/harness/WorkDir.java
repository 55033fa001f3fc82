package dev.tfrocketmq.acceptance.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Creates one fresh working directory per test under acceptance-tests/target/acc/. */
public final class WorkDir {
    /** Characters the provider accepts in paths; the working directory must use only these. */
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9._/@:+=,-]+");

    private WorkDir() {}

    /** Returns a new empty directory named {@code <name>-<n>}, with the lowest n not yet taken. */
    public static Path create(String name) {
        if (!name.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("work dir names use lower case, digits and '-': " + name);
        }
        Path parent = Project.accDir();
        try {
            Files.createDirectories(parent);
            for (int n = 1; ; n++) {
                Path dir = parent.resolve(name + "-" + n);
                try {
                    Files.createDirectory(dir);
                    return requireSafe(dir.toAbsolutePath().normalize());
                } catch (FileAlreadyExistsException taken) {
                    // try the next number
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work dir under " + parent, e);
        }
    }

    static Path requireSafe(Path dir) {
        if (!SAFE_PATH.matcher(dir.toString()).matches()) {
            throw new IllegalStateException("the work dir " + dir + " has characters the provider rejects in paths;"
                    + " check the repository out under a path made of [A-Za-z0-9._/@:+=,-]");
        }
        return dir;
    }
}
