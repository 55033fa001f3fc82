package dev.tfrocketmq.host;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tfrocketmq.framework.resource.Cancellation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalHostTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final LocalHost host = LocalHost.instance();

    @TempDir
    Path tmp;

    @Test
    void itIsNamedLocalAndReachedOnTheLoopbackAddress() {
        assertThat(host.name()).isEqualTo("local");
        assertThat(host.address()).isEqualTo("127.0.0.1");
    }

    @Test
    void aLocalHostForAnotherUserRunsCommandsInThatHomeWithThoseVariablesOnly() throws Exception {
        LocalHost forAlice = new LocalHost(
                new UserEnvironment(tmp, Path.of("/"), Map.of("PATH", "/usr/bin:/bin", "GREETING", "hello alice")));

        ExecResult result = forAlice.exec(
                List.of("/bin/sh", "-c", "pwd; echo \"$GREETING\"; echo \"${SSH_AUTH_SOCK-unset}\""), TIMEOUT);

        assertThat(result.stdout()).isEqualTo(tmp.toRealPath().toString() + "\nhello alice\nunset\n");
    }

    @Test
    void execReportsExitCodeStdoutAndStderr() {
        ExecResult result = host.exec(List.of("/bin/sh", "-c", "echo out; echo err >&2; exit 3"), TIMEOUT);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.ok()).isFalse();
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
    }

    @Test
    void execRunsTheProgramWithoutAShell() {
        ExecResult result = host.exec(List.of("echo", "$HOME", "*", "a;b"), TIMEOUT);

        assertThat(result.ok()).isTrue();
        assertThat(result.stdout()).isEqualTo("$HOME * a;b\n");
    }

    @Test
    void execFeedsStdin() {
        ExecResult result = host.exec(List.of("cat"), "line one\nline two".getBytes(UTF_8), TIMEOUT);

        assertThat(result.stdout()).isEqualTo("line one\nline two");
    }

    @Test
    void execWithoutStdinSeesEndOfInput() {
        ExecResult result = host.exec(List.of("cat"), TIMEOUT);

        assertThat(result.ok()).isTrue();
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void aMissingProgramExitsWith127LikeInAShell() {
        ExecResult result = host.exec(List.of("/no/such/program"), TIMEOUT);

        assertThat(result.exitCode()).isEqualTo(127);
        assertThat(result.stderr()).contains("/no/such/program");
    }

    @Test
    void aCommandThatOverrunsItsTimeoutIsKilledAndReported() throws Exception {
        Path pidFile = tmp.resolve("pid");
        long started = System.nanoTime();

        assertThatThrownBy(() -> host.exec(
                        List.of("/bin/sh", "-c", "echo $$ > \"$1\"; exec sleep 10", "sh", pidFile.toString()),
                        Duration.ofMillis(200)))
                .isInstanceOf(CommandTimeoutException.class)
                .hasMessageContaining("local")
                .hasMessageContaining("200 ms")
                .hasMessageContaining("sleep 10");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            process.get().onExit().get(2, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    }

    @Test
    void aBackgroundChildStillWritingNothingDoesNotHoldTheCallOpen() {
        long started = System.nanoTime();

        ExecResult result = host.exec(List.of("/bin/sh", "-c", "sleep 3 & echo started"), TIMEOUT);

        assertThat(result.stdout()).isEqualTo("started\n");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void execCheckedThrowsWithExitCodeStderrAndTheQuotedCommand() {
        assertThatThrownBy(() -> host.execChecked(List.of("/bin/sh", "-c", "echo broken >&2; exit 4", "it's"), TIMEOUT))
                .isInstanceOfSatisfying(CommandFailedException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(4);
                    assertThat(e.stderrTail()).isEqualTo("broken");
                    assertThat(e.hostName()).isEqualTo("local");
                    assertThat(e.commandLine()).isEqualTo("/bin/sh -c 'echo broken >&2; exit 4' 'it'\"'\"'s'");
                    assertThat(e)
                            .hasMessageContaining("on local")
                            .hasMessageContaining("exit status 4")
                            .hasMessageContaining("broken");
                });
    }

    @Test
    void writeFileCreatesParentsAndSetsTheMode() throws Exception {
        String path = tmp.resolve("a/b/c.conf").toString();

        host.writeFile(path, "x=1\n".getBytes(UTF_8), 0640);

        assertThat(Files.readString(Path.of(path))).isEqualTo("x=1\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(path))))
                .isEqualTo("rw-r-----");
    }

    @Test
    void writeFileReplacesAtomicallyAndLeavesNoTemporaryFiles() throws Exception {
        Path file = tmp.resolve("launch.sh");
        Files.writeString(file, "old");
        Path hardLink = tmp.resolve("old-link");
        Files.createLink(hardLink, file);

        host.writeFile(file.toString(), "new".getBytes(UTF_8), 0755);

        // A rename gives the name a new inode; an in-place write would have changed the link too.
        assertThat(Files.readString(hardLink)).isEqualTo("old");
        assertThat(Files.readString(file)).isEqualTo("new");
        assertThat(Files.isExecutable(file)).isTrue();
        try (var entries = Files.list(tmp)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("launch.sh", "old-link");
        }
    }

    @Test
    void uploadCopiesAtomicallyIntoNewDirectories() throws Exception {
        Path local = tmp.resolve("archive.zip");
        Files.write(local, new byte[] {1, 2, 3});
        String remote = tmp.resolve("dist/new/.upload-x.zip").toString();

        host.upload(local, remote);

        assertThat(Files.readAllBytes(Path.of(remote))).containsExactly(1, 2, 3);
        try (var entries = Files.list(Path.of(remote).getParent())) {
            assertThat(entries).hasSize(1);
        }
    }

    @Test
    void readFileOfAMissingFileIsEmpty() {
        assertThat(host.readFile(tmp.resolve("missing").toString())).isEmpty();
        assertThat(host.exists(tmp.resolve("missing").toString())).isFalse();
    }

    @Test
    void readFileBelowARegularFileIsEmptyAsOverSftp() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain"), "x");

        assertThat(host.readFile(file.resolve("child").toString())).isEmpty();
        assertThat(host.exists(file.resolve("child").toString())).isFalse();
    }

    @Test
    void readFileReturnsTheBytes() throws Exception {
        Path file = tmp.resolve("pid");
        Files.writeString(file, "42\n");

        assertThat(host.readFile(file.toString()))
                .hasValueSatisfying(
                        bytes -> assertThat(new String(bytes, UTF_8)).isEqualTo("42\n"));
        assertThat(host.exists(file.toString())).isTrue();
    }

    @Test
    void readFileOfADirectoryFailsNamingTheHostAndPath() {
        assertThatThrownBy(() -> host.readFile(tmp.toString()))
                .isInstanceOf(HostException.class)
                .hasMessageContaining("local")
                .hasMessageContaining(tmp.toString());
    }

    @Test
    void relativeRemotePathsAreRejected() {
        assertThatThrownBy(() -> host.readFile("relative/path")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cancellingACommandKillsItAndItsChildrenWithinSeconds() throws Exception {
        Cancellation cancellation = new Cancellation();
        Host cancellable = host.withCancellation(cancellation);
        Path pids = tmp.resolve("pids");
        CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(() -> cancellable.exec(
                List.of("/bin/sh", "-c", "sleep 300 & echo $$ $! >" + pids + "; wait"), Duration.ofMinutes(5)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(pids) || Files.readString(pids).isBlank()) {
            assertThat(System.nanoTime()).as("the command started").isLessThan(deadline);
            Thread.sleep(20);
        }
        long start = System.nanoTime();

        cancellation.cancel();

        assertThatThrownBy(() -> running.get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(OperationCancelledException.class)
                .hasMessageContaining("on local was stopped: Terraform asked the provider to stop");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        for (String pid : Files.readString(pids).strip().split(" ")) {
            // Killed at once; gone once its new parent has reaped it.
            long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (ProcessHandle.of(Long.parseLong(pid))
                    .map(ProcessHandle::isAlive)
                    .orElse(false)) {
                assertThat(System.nanoTime() - gone)
                        .as("process %s is gone", pid)
                        .isNegative();
                Thread.sleep(20);
            }
        }
        assertThatThrownBy(() -> cancellable.exec(List.of("true"), TIMEOUT))
                .as("a cancelled host starts nothing more")
                .isInstanceOf(OperationCancelledException.class);
        assertThat(host.exec(List.of("true"), TIMEOUT).ok())
                .as("the host itself is not cancelled")
                .isTrue();
    }

    @Test
    void aHostLockKeepsASecondHolderWaitingUntilItIsReleased() throws Exception {
        String lockFile = tmp.resolve("locks/component").toString();
        HostLock first = HostLock.acquire(host, lockFile, "deploying the first", Duration.ofSeconds(10));
        CompletableFuture<HostLock> second = CompletableFuture.supplyAsync(
                () -> HostLock.acquire(host, lockFile, "deploying the second", Duration.ofSeconds(20)));
        Thread.sleep(500);
        assertThat(second).as("the second waits").isNotDone();
        assertThat(Files.readString(Path.of(lockFile))).contains("deploying the first");

        first.close();

        try (HostLock taken = second.get(5, TimeUnit.SECONDS)) {
            assertThat(Files.readString(Path.of(lockFile))).contains("deploying the second");
        }
        assertThat(Files.list(tmp.resolve("locks")).map(p -> p.getFileName().toString()))
                .as("nothing but the lock file is left once released")
                .containsExactly("component");
    }
}
