package dev.tfrocketmq.acceptance.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Copies of the project's examples, laid out as in the repository so that module sources {@code ../modules/…} work. */
public final class Examples {
    private Examples() {}

    /**
     * Copies {@code examples/<name>} and every module under {@code examples/modules} into {@code workdir} (their
     * {@code *.tf} files only: no state, no lock file) and returns the copy of the example.
     */
    public static Path copy(String name, Path workdir) {
        Path examples = Project.root().resolve("examples");
        try {
            copyTerraformFiles(examples.resolve(name), workdir.resolve(name));
            List<Path> modules;
            try (Stream<Path> dirs = Files.list(examples.resolve("modules"))) {
                modules = dirs.filter(Files::isDirectory).toList();
            }
            for (Path module : modules) {
                copyTerraformFiles(module, workdir.resolve("modules").resolve(module.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("copying examples/" + name + " into " + workdir, e);
        }
        return workdir.resolve(name);
    }

    private static void copyTerraformFiles(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".tf"))
                    .toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
