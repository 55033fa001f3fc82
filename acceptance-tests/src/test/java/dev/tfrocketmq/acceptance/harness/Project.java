package dev.tfrocketmq.acceptance.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Where the build puts the things the acceptance tests need. */
public final class Project {
    public static final String PROVIDER_NAMESPACE = "tfrocketmq";
    public static final String PROVIDER_SOURCE = PROVIDER_NAMESPACE + "/rocketmq";
    public static final String PROVIDER_VERSION = "0.1.0";
    public static final String ROCKETMQ_VERSION = "5.3.3";

    private Project() {}

    /** The repository root: the {@code project.root} system property, else the nearest parent holding this module. */
    public static Path root() {
        String configured = System.getProperty("project.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("acceptance-tests")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p.normalize();
            }
        }
        throw new IllegalStateException("cannot find the repository root from " + dir + "; set -Dproject.root");
    }

    public static Path mirror() {
        return root().resolve("build/mirror");
    }

    public static String platform() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String goArch = switch (arch) {
            case "aarch64", "arm64" -> "arm64";
            default -> "amd64";
        };
        return "linux_" + goArch;
    }

    public static Path providerBinary() {
        return mirror().resolve("registry.terraform.io/" + PROVIDER_SOURCE + "/" + PROVIDER_VERSION + "/" + platform())
                .resolve("terraform-provider-rocketmq_v" + PROVIDER_VERSION);
    }

    public static Path runtimeArchive() {
        return runtimeArchive(ROCKETMQ_VERSION);
    }

    /** The release archive {@code rocketmq-runtime} builds for one RocketMQ version. */
    public static Path runtimeArchive(String version) {
        return root().resolve("rocketmq-runtime/target/rocketmq-all-" + version + "-bin-release.zip");
    }

    /** Parent of every per-test working directory; kept under target/ so logs survive for CI. */
    public static Path accDir() {
        return root().resolve("acceptance-tests/target/acc");
    }

    /** Fails with the command to run when the packaged provider or the RocketMQ archive is missing. */
    public static void requirePackaged() {
        Path binary = providerBinary();
        if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
            throw new AssertionError("provider not found at " + binary + ": run `make package` first");
        }
        Path archive = runtimeArchive();
        if (!Files.isRegularFile(archive)) {
            throw new AssertionError("RocketMQ archive not found at " + archive + ": run `make package` first");
        }
    }
}
