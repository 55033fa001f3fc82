package dev.tfrocketmq.acceptance.harness;

import dev.tfrocketmq.testing.ExecResult;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the Terraform (or OpenTofu) CLI in one working directory, with a generated CLI config that installs
 * the provider from the build's filesystem mirror. Every call is bounded by a timeout and logged to
 * {@code commands.log} in the working directory.
 */
public final class Terraform {
    public static final Duration INIT_TIMEOUT = Duration.ofMinutes(3);
    public static final Duration VALIDATE_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration PLAN_TIMEOUT = Duration.ofMinutes(3);
    public static final Duration APPLY_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration STATE_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration GRACE_AFTER_TIMEOUT = Duration.ofSeconds(30);

    private static final String BINARY_PROPERTY = "TF_ACC_TERRAFORM";
    private static final String CLI_PROPERTY = "terraform.cli";
    private static final String PLAN_FILE = "tfplan";

    private final Path binary;
    private final Path workdir;
    private final Path cliConfig;
    private final Path log;
    private final AtomicInteger calls = new AtomicInteger();
    private final Map<String, String> environment = new ConcurrentHashMap<>();

    private Terraform(Path binary, Path workdir, Path mirror) {
        this.binary = binary;
        this.workdir = workdir;
        this.cliConfig = workdir.resolve("cli.tfrc");
        this.log = workdir.resolve("commands.log");
        write(cliConfig, cliConfig(mirror));
    }

    /** A Terraform for {@code workdir}, installing providers from the build's mirror. */
    public static Terraform in(Path workdir) {
        return in(workdir, Project.mirror());
    }

    public static Terraform in(Path workdir, Path mirror) {
        Path binary = locateBinary()
                .orElseThrow(() -> new AssertionError("no terraform CLI: set " + BINARY_PROPERTY
                        + " (system property or env) or -D" + CLI_PROPERTY + ", or put terraform or tofu on PATH"));
        return new Terraform(
                binary,
                workdir.toAbsolutePath().normalize(),
                mirror.toAbsolutePath().normalize());
    }

    /**
     * {@code TF_ACC_TERRAFORM} (system property, then env), then the {@code terraform.cli} system property the Makefile
     * passes, else {@code terraform}, else {@code tofu} on PATH. A configured value is a path or a name on PATH.
     */
    public static Optional<Path> locateBinary() {
        for (String source :
                List.of("property " + BINARY_PROPERTY, "env " + BINARY_PROPERTY, "property " + CLI_PROPERTY)) {
            String name = source.substring(source.indexOf(' ') + 1);
            String configured = source.startsWith("env") ? System.getenv(name) : System.getProperty(name);
            if (configured != null && !configured.isBlank()) {
                return Optional.of(configured(source, configured.trim()));
            }
        }
        return onPath("terraform").or(() -> onPath("tofu"));
    }

    private static Path configured(String source, String value) {
        if (!value.contains("/")) {
            return onPath(value).orElseThrow(() -> new AssertionError(source + "=" + value + " is not on PATH"));
        }
        Path path = Path.of(value);
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw new AssertionError(source + "=" + value + " is not an executable file");
        }
        return path.toAbsolutePath();
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Installs the provider from {@code mirror} under both registry hostnames: Terraform reads the source
     * {@code tfrocketmq/rocketmq} as {@code registry.terraform.io/...}, OpenTofu as {@code registry.opentofu.org/...}.
     */
    static String cliConfig(Path mirror) {
        String hosts = Hcl.string("registry.terraform.io/" + Project.PROVIDER_NAMESPACE + "/*") + ", "
                + Hcl.string("registry.opentofu.org/" + Project.PROVIDER_NAMESPACE + "/*");
        return "provider_installation {\n"
                + "  filesystem_mirror {\n"
                + "    path    = " + Hcl.string(mirror.toString()) + "\n"
                + "    include = [" + hosts + "]\n"
                + "  }\n"
                + "  direct {\n"
                + "    exclude = [" + hosts + "]\n"
                + "  }\n"
                + "}\n";
    }

    public Path workdir() {
        return workdir;
    }

    /** Sets a variable for every later command of this Terraform (after the harness's own). */
    public Terraform withEnvironment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public Path binary() {
        return binary;
    }

    /** Replaces {@code main.tf}. */
    public void writeConfig(String hcl) {
        write(workdir.resolve("main.tf"), hcl);
    }

    public ExecResult init() {
        return run(INIT_TIMEOUT, "init", "-no-color", "-input=false");
    }

    public ExecResult validate() {
        return run(VALIDATE_TIMEOUT, "validate", "-no-color");
    }

    /** {@code plan -detailed-exitcode}: 0 means no changes, 2 means changes, anything else is an error. */
    public ExecResult plan() {
        return run(PLAN_TIMEOUT, "plan", "-no-color", "-input=false", "-detailed-exitcode");
    }

    /** Plans into a file and returns its JSON form; fails the test when planning fails. */
    public PlanJson planJson() {
        ExecResult plan = run(PLAN_TIMEOUT, "plan", "-no-color", "-input=false", "-out=" + PLAN_FILE);
        if (!plan.succeeded()) {
            throw new AssertionError("terraform plan failed\n" + plan.describe());
        }
        ExecResult show = run(STATE_TIMEOUT, "show", "-no-color", "-json", PLAN_FILE);
        if (!show.succeeded()) {
            throw new AssertionError("terraform show of the plan failed\n" + show.describe());
        }
        return PlanJson.parse(show.stdout(), plan.output());
    }

    /** The current state as {@code show -json} prints it; fails the test when that fails. */
    public StateJson state() {
        ExecResult show = run(STATE_TIMEOUT, "show", "-no-color", "-json");
        if (!show.succeeded()) {
            throw new AssertionError("terraform show failed\n" + show.describe());
        }
        return StateJson.parse(show.stdout());
    }

    public ExecResult apply() {
        return run(APPLY_TIMEOUT, "apply", "-no-color", "-input=false", "-auto-approve");
    }

    public ExecResult importResource(String address, String id) {
        return run(PLAN_TIMEOUT, "import", "-no-color", "-input=false", address, id);
    }

    public ExecResult stateRm(String address) {
        return run(STATE_TIMEOUT, "state", "rm", "-no-color", address);
    }

    public ExecResult destroy() {
        return run(APPLY_TIMEOUT, "destroy", "-no-color", "-input=false", "-auto-approve");
    }

    /** Runs any other terraform subcommand with the same environment and logging. */
    public ExecResult run(Duration timeout, String... args) {
        return run(Map.of(), timeout, args);
    }

    /**
     * Like {@link #run(Duration, String...)}, with extra environment variables set last, such as
     * {@code TF_LOG_PROVIDER} and {@code TF_LOG_PATH} to capture one command's provider log.
     */
    public ExecResult run(Map<String, String> extraEnv, Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        int n = calls.incrementAndGet();
        Path outDir = workdir.resolve(".exec");
        Path stdoutFile = outDir.resolve(n + "-" + args[0] + ".stdout");
        Path stderrFile = outDir.resolve(n + "-" + args[0] + ".stderr");
        Instant started = Instant.now();
        try {
            Files.createDirectories(outDir);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workdir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(stdoutFile.toFile())
                    .redirectError(stderrFile.toFile());
            environment(builder.environment());
            builder.environment().putAll(extraEnv);
            Process process = builder.start();
            boolean timedOut = !process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (timedOut) {
                stop(process);
            }
            ExecResult result = new ExecResult(
                    displayed(binary, args),
                    timedOut ? -1 : process.exitValue(),
                    Files.readString(stdoutFile, StandardCharsets.UTF_8),
                    Files.readString(stderrFile, StandardCharsets.UTF_8),
                    timedOut,
                    Duration.between(started, Instant.now()));
            appendToLog(started, result);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /**
     * Starts a command and returns at once, as a terminal would run it: in a process group of its own, so that
     * {@link Running#interrupt} reaches it and the provider it starts, as Ctrl-C does.
     */
    public Running start(Map<String, String> extraEnv, String... args) {
        List<String> command = new ArrayList<>();
        // setsid: a new session and process group, led by terraform itself (setsid execs it in place).
        command.add("setsid");
        command.add(binary.toString());
        command.addAll(List.of(args));
        int n = calls.incrementAndGet();
        Path outDir = workdir.resolve(".exec");
        Path stdoutFile = outDir.resolve(n + "-" + args[0] + ".stdout");
        Path stderrFile = outDir.resolve(n + "-" + args[0] + ".stderr");
        Instant started = Instant.now();
        try {
            Files.createDirectories(outDir);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workdir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(stdoutFile.toFile())
                    .redirectError(stderrFile.toFile());
            environment(builder.environment());
            builder.environment().putAll(extraEnv);
            return new Running(builder.start(), args, started, stdoutFile, stderrFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
    }

    /** A command started by {@link #start}. */
    public final class Running {
        private final Process process;
        private final String[] args;
        private final Instant started;
        private final Path stdoutFile;
        private final Path stderrFile;

        private Running(Process process, String[] args, Instant started, Path stdoutFile, Path stderrFile) {
            this.process = process;
            this.args = args;
            this.started = started;
            this.stdoutFile = stdoutFile;
            this.stderrFile = stderrFile;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** Sends SIGINT to the command's process group, as Ctrl-C in a terminal does. */
        public void interrupt() {
            try {
                Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + process.pid())
                        .redirectErrorStream(true)
                        .start();
                if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                    throw new IllegalStateException("cannot interrupt process group " + process.pid() + ": "
                            + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        /** Waits for the command to end (stopping it after {@code timeout}) and returns what it did. */
        public ExecResult await(Duration timeout) {
            try {
                boolean timedOut = !process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (timedOut) {
                    stop(process);
                }
                ExecResult result = new ExecResult(
                        displayed(binary, args),
                        timedOut ? -1 : process.exitValue(),
                        Files.readString(stdoutFile, StandardCharsets.UTF_8),
                        Files.readString(stderrFile, StandardCharsets.UTF_8),
                        timedOut,
                        Duration.between(started, Instant.now()));
                appendToLog(started, result);
                return result;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for terraform", e);
            }
        }
    }

    private void environment(Map<String, String> env) {
        String accLog = System.getenv("TF_ACC_LOG");
        env.keySet()
                .removeIf(key -> key.startsWith("TF_") || key.startsWith("TOFU_") || key.equals("CHECKPOINT_DISABLE"));
        env.put("TF_CLI_CONFIG_FILE", cliConfig.toString());
        env.put("TF_IN_AUTOMATION", "1");
        env.put("CHECKPOINT_DISABLE", "1");
        env.put("TF_INPUT", "0");
        env.putAll(Backends.environment());
        env.putAll(environment);
        if (accLog != null && !accLog.isBlank()) {
            env.put("TF_ACC_LOG", accLog);
            env.put("TF_LOG", "debug");
            env.put("TF_LOG_PATH", workdir.resolve("terraform.log").toString());
        }
    }

    /** Interrupts terraform so it can release its lock, then kills it and whatever it started. */
    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(GRACE_AFTER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static List<String> displayed(Path binary, String[] args) {
        List<String> shown = new ArrayList<>();
        shown.add(binary.getFileName().toString());
        shown.addAll(List.of(args));
        return shown;
    }

    private synchronized void appendToLog(Instant started, ExecResult result) throws IOException {
        String entry = "=== " + started + " " + String.join(" ", result.command()) + "\n"
                + "=== exit " + result.exitCode() + (result.timedOut() ? " (timed out)" : "")
                + " after " + result.took().toMillis() + " ms\n"
                + "--- stdout\n" + result.stdout() + (result.stdout().endsWith("\n") ? "" : "\n")
                + "--- stderr\n" + result.stderr() + (result.stderr().endsWith("\n") ? "" : "\n")
                + "\n";
        Files.writeString(log, entry, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
