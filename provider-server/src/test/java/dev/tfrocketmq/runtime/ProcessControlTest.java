package dev.tfrocketmq.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.host.ExecResult;
import dev.tfrocketmq.host.Host;
import dev.tfrocketmq.host.LocalHost;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessControlTest {

    /** Logs a line and waits for a child, whose pid it records, so stop must end two processes. */
    private static final String SERVICE = "echo \"started $GREETING\"; sleep 600 & echo $! >child.pid; wait";

    @TempDir
    Path tmp;

    private final ProcessControl control = new ProcessControl(LocalHost.instance());
    private final List<String> started = new ArrayList<>();

    @AfterEach
    void killEverythingStarted() {
        for (String dir : started) {
            try {
                control.kill(dir);
            } catch (RuntimeException e) {
                System.err.println("could not kill " + dir + ": " + e);
            }
        }
    }

    private String dir(String name) {
        return tmp.resolve(name).toString();
    }

    private ComponentSpec spec(String dir, String script) {
        return new ComponentSpec(
                dir,
                Map.of("app.conf", "key=value\n".getBytes(UTF_8)),
                List.of("/bin/sh", "-c", script, dir),
                Map.of("GREETING", "hello 'world'"));
    }

    private void start(ProcessControl processControl, ComponentSpec spec) {
        started.add(spec.dir());
        processControl.start(spec);
    }

    @Test
    void aStartedProcessRunsDetachedRecordsItsPidAndLogsToTheConsoleLog() throws Exception {
        String dir = dir("broker-10911");
        ComponentSpec spec = spec(dir, SERVICE);
        started.add(dir);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread starter = new Thread(() -> {
            try {
                control.start(spec);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        starter.start();
        starter.join();
        assertThat(failure.get()).isNull();

        ProcessStatus status = control.status(dir);

        assertThat(status).isInstanceOf(ProcessStatus.Running.class);
        long pid = ((ProcessStatus.Running) status).pid();
        assertThat(Files.readString(Path.of(dir, "pid")).strip()).isEqualTo(Long.toString(pid));
        assertThat(ProcessHandle.current().descendants().map(ProcessHandle::pid))
                .doesNotContain(pid);
        assertThat(ProcessHandle.of(pid))
                .hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        awaitTrue(() -> control.logTail(dir, 5).contains("started hello 'world'"));
        assertThat(control.logTail(dir, 10)).contains("launch.sh: starting as pid " + pid);
        assertThat(Path.of(dir, "run/app.conf")).hasContent("key=value");
        for (String sub : List.of("conf", "run", "logs", "home")) {
            assertThat(Path.of(dir, sub)).isDirectory();
        }
    }

    @Test
    void stoppingEndsTheProcessWithinTheGracefulPeriod() {
        String dir = dir("namesrv-9876");
        start(control, spec(dir, SERVICE));
        long pid = ((ProcessStatus.Running) control.status(dir)).pid();
        long before = System.nanoTime();

        boolean stopped = control.stop(dir, Duration.ofSeconds(5));

        assertThat(stopped).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(3));
        assertThat(control.status(dir)).isEqualTo(new ProcessStatus.Stopped());
        assertGone(pid);
        assertGone(childPid(dir));
        assertThat(Path.of(dir, "pid")).doesNotExist();
    }

    @Test
    void stoppingAStoppedOrUnknownComponentIsANoOp() {
        String dir = dir("namesrv-9877");
        start(control, spec(dir, SERVICE));
        control.stop(dir, Duration.ofSeconds(5));

        assertThat(control.stop(dir, Duration.ofSeconds(5))).isFalse();
        assertThat(control.stop(dir("never-created"), Duration.ofSeconds(5))).isFalse();
    }

    @Test
    void aProcessThatIgnoresSigtermIsKilledAfterTheGracefulPeriod() {
        String dir = dir("stubborn");
        start(control, spec(dir, "trap '' TERM; echo started; sleep 600 & echo $! >child.pid; wait"));
        awaitTrue(() -> control.logTail(dir, 5).contains("started"));
        long before = System.nanoTime();

        boolean stopped = control.stop(dir, Duration.ofMillis(500));

        Duration took = Duration.ofNanos(System.nanoTime() - before);
        assertThat(stopped).isTrue();
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(500)).isLessThan(Duration.ofSeconds(3));
        assertThat(control.status(dir)).isEqualTo(new ProcessStatus.Stopped());
        assertGone(childPid(dir));
    }

    @Test
    void killStopsTheProcessAtOnce() {
        String dir = dir("doomed");
        start(control, spec(dir, "trap '' TERM; sleep 600 & echo $! >child.pid; wait"));

        control.kill(dir);

        assertThat(control.status(dir)).isEqualTo(new ProcessStatus.Stopped());
        assertGone(childPid(dir));
    }

    @Test
    void startingARunningComponentLeavesItRunning() {
        String dir = dir("once");
        ComponentSpec spec = spec(dir, SERVICE);
        start(control, spec);
        ProcessStatus first = control.status(dir);

        control.start(spec);

        assertThat(control.status(dir)).isEqualTo(first);
    }

    @Test
    void aRestartCopiesTheRenderedConfigOverTheProcessesOwnCopy() throws Exception {
        String dir = dir("restarted");
        ComponentSpec spec = spec(dir, "echo rewritten=by-process >> run/app.conf; echo started; sleep 600 & wait");
        start(control, spec);
        awaitTrue(() -> control.logTail(dir, 5).contains("started"));
        assertThat(Path.of(dir, "run/app.conf")).hasContent("key=value\nrewritten=by-process");
        control.stop(dir, Duration.ofSeconds(5));

        start(control, spec);

        awaitTrue(() -> control.logTail(dir, 20).split("started", -1).length == 3);
        assertThat(Path.of(dir, "run/app.conf")).hasContent("key=value\nrewritten=by-process");
        assertThat(Path.of(dir, "conf/app.conf")).hasContent("key=value");
    }

    @Test
    void aProcessThatExitsAtOnceFailsTheStartWithItsConsoleLog() {
        String dir = dir("broken");
        started.add(dir);

        assertThatThrownBy(() -> control.start(spec(dir, "echo 'cannot bind port' >&2; exit 3")))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining(dir)
                .hasMessageContaining("local")
                .hasMessageContaining("cannot bind port");
        assertThat(control.status(dir)).isEqualTo(new ProcessStatus.Stopped());
    }

    @Test
    void aDirectoryWithoutLaunchScriptIsAbsent() throws Exception {
        Files.createDirectories(Path.of(dir("retired")));
        assertThat(control.status(dir("retired"))).isEqualTo(new ProcessStatus.Absent());
    }

    @Test
    void aMissingDirectoryIsAbsentOnlyInAnInstallRootThisProviderMarked() throws Exception {
        assertThatThrownBy(() -> control.status(dir("never-made")))
                .as("an unmarked install root may be an empty mount point")
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("cannot be told apart from an empty mount point")
                .hasMessageContaining("state was kept");

        control.writeFiles(spec(dir("sibling"), SERVICE));
        assertThat(tmp.resolve(ProcessControl.ROOT_MARKER)).exists();
        assertThat(control.status(dir("never-made"))).isEqualTo(new ProcessStatus.Absent());
    }

    @Test
    void aMissingInstallRootIsAnErrorNotAnAbsence() {
        String inMissingRoot =
                tmp.resolve("unmounted-volume/rocketmq/broker-10911").toString();
        assertThatThrownBy(() -> control.status(inMissingRoot))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("unmounted-volume/rocketmq")
                .hasMessageContaining("is missing")
                .hasMessageContaining("mount it");
    }

    @Test
    void aDirectoryTheUserCannotSearchIsAnErrorNotAnAbsence() throws Exception {
        // root may look everywhere, so the check runs as an unprivileged user, as an SSH login would
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path locked = Files.createDirectories(tmp.resolve("locked"));
        Files.writeString(locked.resolve(ProcessControl.ROOT_MARKER), "");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        ProcessControl asNobody = new ProcessControl(new RunAs("nobody", LocalHost.instance()));

        assertThatThrownBy(
                        () -> asNobody.status(locked.resolve("nameserver-9876").toString()))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("cannot tell whether")
                .hasMessageContaining("cannot be read");
        assertThat(control.status(locked.resolve("nameserver-9876").toString()))
                .as("root can look, and sees it is gone")
                .isEqualTo(new ProcessStatus.Absent());
    }

    @Test
    void dataDirectoriesAreMarkedByTheComponentThatCreatesThemAndOnlyItsOwnAreDeleted() throws Exception {
        String owner = dir("broker-10911");
        String store = dir("store-a");
        assertThat(control.claimData(store, owner)).isEqualTo(ProcessControl.DataClaim.CREATED);
        assertThat(control.claimData(store, owner)).isEqualTo(ProcessControl.DataClaim.OURS);
        Files.writeString(Path.of(store, "commitlog"), "messages");

        assertThat(control.deleteData(store, dir("broker-10811")))
                .as("another component's data")
                .isFalse();
        assertThat(Path.of(store, "commitlog")).exists();
        assertThat(control.deleteData(store, owner)).isTrue();
        assertThat(Path.of(store)).doesNotExist();
    }

    @Test
    void aDirectoryThatWasThereBeforeIsUsedButNeverDeleted() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("srv/shared/other-app"));
        Files.writeString(shared.resolve("IMPORTANT"), "not RocketMQ's");
        String store = tmp.resolve("srv/shared").toString();

        assertThat(control.claimData(store, dir("broker-10911"))).isEqualTo(ProcessControl.DataClaim.FOREIGN);
        assertThat(control.deleteData(store, dir("broker-10911"))).isFalse();
        assertThat(shared.resolve("IMPORTANT")).hasContent("not RocketMQ's");
    }

    @Test
    void aDataDirectoryOfAComponentThatStillExistsCannotBeClaimedByAnother() throws Exception {
        String first = dir("broker-10911");
        String second = dir("broker-10811");
        String store = dir("store");
        control.writeFiles(spec(first, SERVICE));
        control.claimData(store, first);

        assertThatThrownBy(() -> control.claimData(store, second))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("already holds the data of the component in " + first)
                .hasMessageContaining("directory of its own");

        Files.delete(Path.of(first, "launch.sh")); // the first one was destroyed, keeping its data
        assertThat(control.claimData(store, second))
                .as("a replacement takes over the data of the component it replaces")
                .isEqualTo(ProcessControl.DataClaim.ADOPTED);
        assertThat(control.deleteData(store, first)).isFalse();
    }

    /** Runs every command as another user (runuser), like an SSH login without root. */
    private record RunAs(String user, Host host) implements Host {
        @Override
        public String name() {
            return host.name();
        }

        @Override
        public String address() {
            return host.address();
        }

        @Override
        public ExecResult exec(List<String> argv, Duration timeout) {
            return exec(argv, new byte[0], timeout);
        }

        @Override
        public ExecResult exec(List<String> argv, byte[] stdin, Duration timeout) {
            List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", user, "--"));
            wrapped.addAll(argv);
            return host.exec(wrapped, stdin, timeout);
        }

        @Override
        public void upload(Path localFile, String remotePath) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void writeFile(String remotePath, byte[] content, int posixMode) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<byte[]> readFile(String remotePath) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean exists(String remotePath) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Host withCancellation(Cancellation cancellation) {
            return new RunAs(user, host.withCancellation(cancellation));
        }

        @Override
        public Cancellation cancellation() {
            return host.cancellation();
        }

        @Override
        public void close() {}
    }

    @Test
    void aPidFileNamingAnotherLiveProcessMeansStopped() throws Exception {
        String dir = dir("stale");
        control.writeFiles(spec(dir, SERVICE));
        Files.writeString(Path.of(dir, "pid"), ProcessHandle.current().pid() + "\n");

        assertThat(control.status(dir)).isEqualTo(new ProcessStatus.Stopped());
        assertThat(control.stop(dir, Duration.ofSeconds(1))).isFalse();
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    @Test
    void aMissingGarbledOrDeadPidMeansStopped() throws Exception {
        String dir = dir("stale");
        control.writeFiles(spec(dir, SERVICE));

        assertThat(control.status(dir)).isEqualTo(new ProcessStatus.Stopped());
        Files.writeString(Path.of(dir, "pid"), "not a pid\n");
        assertThat(control.status(dir)).isEqualTo(new ProcessStatus.Stopped());
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        Files.writeString(Path.of(dir, "pid"), exited.pid() + "\n");
        assertThat(control.status(dir)).isEqualTo(new ProcessStatus.Stopped());
    }

    @Test
    void writeFilesReportsAChangeOnlyWhenSomethingDiffers() throws Exception {
        String dir = dir("files");
        ComponentSpec spec = spec(dir, SERVICE);

        assertThat(control.writeFiles(spec)).isTrue();
        long modified = Files.getLastModifiedTime(Path.of(dir, "launch.sh")).toMillis();
        assertThat(control.writeFiles(spec)).isFalse();
        assertThat(Files.getLastModifiedTime(Path.of(dir, "launch.sh")).toMillis())
                .isEqualTo(modified);

        ComponentSpec changed =
                new ComponentSpec(dir, Map.of("other.conf", new byte[] {1}), spec.command(), spec.environment());
        assertThat(control.writeFiles(changed)).isTrue();
        assertThat(Path.of(dir, "conf/app.conf")).doesNotExist();
        assertThat(Files.readAllBytes(Path.of(dir, "conf/other.conf"))).containsExactly(1);
        assertThat(control.writeFiles(changed)).isFalse();
    }

    @Test
    void theLaunchScriptIsExecutableAndQuotesEveryArgument() throws Exception {
        String dir = dir("quoted");
        ComponentSpec spec = spec(dir, SERVICE);

        control.writeFiles(spec);

        Path script = Path.of(dir, "launch.sh");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script)))
                .isEqualTo("rwxr-xr-x");
        assertThat(Files.readString(script))
                .contains("export GREETING='hello '\"'\"'world'\"'\"''\n")
                .endsWith("exec /bin/sh -c '" + SERVICE.replace("'", "'\"'\"'") + "' " + dir + "\n");
    }

    @Test
    void everyLauncherStartsAProcessThatStatusRecognises() {
        assumeTrue(onPath("start-stop-daemon"), "start-stop-daemon is not installed");
        for (ProcessControl.Launcher launcher : ProcessControl.Launcher.values()) {
            String dir = dir("launcher-" + launcher.name().toLowerCase());
            ProcessControl withLauncher = new ProcessControl(LocalHost.instance(), launcher);

            start(withLauncher, spec(dir, SERVICE));

            assertThat(withLauncher.status(dir)).as(launcher.name()).isInstanceOf(ProcessStatus.Running.class);
            long child = childPid(dir);
            assertThat(withLauncher.stop(dir, Duration.ofSeconds(5))).isTrue();
            assertGone(child);
        }
    }

    @Test
    void logTailIsEmptyWithoutALog() {
        assertThat(control.logTail(dir("silent"), 10)).isEmpty();
    }

    @Test
    void deleteDirRemovesTheDirectoryButRefusesShallowPaths() throws Exception {
        String dir = dir("to-delete");
        control.writeFiles(spec(dir, SERVICE));

        control.deleteDir(dir);

        assertThat(Path.of(dir)).doesNotExist();
        assertThatThrownBy(() -> control.deleteDir("/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> control.deleteDir("/opt")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> control.deleteDir("/opt/../")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> control.deleteDir("relative/dir")).isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean onPath(String program) {
        return LocalHost.instance()
                .exec(List.of("/bin/sh", "-c", "command -v \"$1\"", "sh", program), Duration.ofSeconds(5))
                .ok();
    }

    /** The pid of the service's child, once it has recorded it. */
    private static long childPid(String dir) {
        Path file = Path.of(dir, "child.pid");
        awaitTrue(() -> {
            try {
                return Files.readString(file).endsWith("\n");
            } catch (IOException e) {
                return false;
            }
        });
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The process has exited (a zombie that nobody reaps counts as exited). */
    private static void assertGone(long pid) {
        awaitTrue(() -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty() || isZombie(pid));
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (Exception e) {
            return true;
        }
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 3 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
