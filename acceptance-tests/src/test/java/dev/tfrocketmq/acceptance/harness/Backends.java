package dev.tfrocketmq.acceptance.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The provider backends the acceptance tests start: every Terraform run of this test JVM uses a runtime and a cache
 * directory of the tests' own, so the suite shares one warm backend (as a user's commands do) without touching the
 * user's, and {@link #stopAll} stops it when the tests are over (a JUnit launcher listener and a shutdown hook call it).
 */
public final class Backends {
    /** How long a test backend may sit idle, should the suite die before stopping it. */
    static final String IDLE = "10m";

    private static final Path RUNTIME = createRuntimeDir();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Backends::stopAll, "stop-provider-backends"));
    }

    private Backends() {}

    /** Socket paths are limited to about 100 bytes, so the runtime directory is a short one in /tmp. */
    private static Path createRuntimeDir() {
        try {
            return Files.createTempDirectory(
                    Path.of("/tmp"),
                    "tfa",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a runtime directory for the provider's backend", e);
        }
    }

    /** The variables that point a Terraform run's provider at the tests' backend. */
    public static Map<String, String> environment() {
        return Map.of(
                "XDG_RUNTIME_DIR", RUNTIME.toString(),
                "XDG_CACHE_HOME",
                        Project.root()
                                .resolve("acceptance-tests/target/backend-cache")
                                .toString(),
                "TF_ROCKETMQ_BACKEND_IDLE", IDLE);
    }

    /** Pids of the backends now running for the tests. */
    public static List<Long> running() {
        Path dir = RUNTIME.resolve("tfrocketmq");
        List<Long> pids = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return pids;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                pid(file)
                        .filter(p ->
                                ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))
                        .ifPresent(pids::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pids;
    }

    private static Optional<Long> pid(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Stops every test backend: SIGTERM, then SIGKILL after 10 s. */
    public static synchronized void stopAll() {
        for (long pid : running()) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroy();
                try {
                    p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            });
        }
    }

    /** Waits until no test backend runs. */
    public static boolean awaitNone(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!running().isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
