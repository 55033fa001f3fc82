package dev.tfrocketmq.host.ssh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tfrocketmq.host.CommandTimeoutException;
import dev.tfrocketmq.host.ExecResult;
import dev.tfrocketmq.host.HostException;
import dev.tfrocketmq.runtime.ComponentSpec;
import dev.tfrocketmq.runtime.DistributionInstaller;
import dev.tfrocketmq.runtime.InstalledDistribution;
import dev.tfrocketmq.runtime.ProcessControl;
import dev.tfrocketmq.runtime.ProcessStatus;
import dev.tfrocketmq.testing.TestHosts;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SshHost} against real OpenSSH servers: h1 and h2 keep their keys and links; h3 is the
 * one whose sshd is restarted, whose link goes down and whose host key changes.
 */
class SshHostTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static TestHosts hosts;
    private static SshHosts pool;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startHosts() {
        hosts = SshTestHosts.up(3);
        pool = new SshHosts();
    }

    @AfterAll
    static void stopHosts() {
        try {
            if (pool != null) {
                pool.close();
            }
        } finally {
            if (hosts != null) {
                hosts.close();
            }
        }
    }

    private static SshHost h1() {
        return pool.get(SshTestHosts.settings(hosts, 1));
    }

    /** h3's host key changes during the tests, so it is verified by its current key. */
    private static SshSettings h3Settings() {
        return SshTestHosts.settings(hosts, 3).withHostKey(hosts.hostKey(3));
    }

    private static List<String> sh(String script, String... args) {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", script, "sh"));
        argv.addAll(List.of(args));
        return argv;
    }

    @Test
    void execReturnsStandardOutputStandardErrorAndExitStatus() {
        ExecResult result = h1().exec(sh("hostname; echo oops >&2; exit 3"), TIMEOUT);

        assertThat(result).isEqualTo(new ExecResult(3, "h1\n", "oops\n"));
        assertThat(h1().name()).isEqualTo("root@" + hosts.address(1) + ":22");
        assertThat(h1().address()).isEqualTo(hosts.address(1));
    }

    @Test
    void shellMetacharactersInArgumentsArriveVerbatim() {
        String nasty = "it's \"quoted\" $(touch /tmp/pwned) `id` ; | & > < * ~ \\ \n\ttab $HOME ñ";

        ExecResult viaScript = h1().exec(sh("printf %s \"$1\"", nasty), TIMEOUT);
        ExecResult direct = h1().exec(List.of("printf", "%s", nasty), TIMEOUT);

        assertThat(viaScript.stdout()).isEqualTo(nasty);
        assertThat(direct.stdout()).isEqualTo(nasty);
        assertThat(h1().exists("/tmp/pwned")).isFalse();
    }

    @Test
    void aMissingProgramExitsWith127LikeAShellWould() {
        assertThat(h1().exec(List.of("/nonexistent/program"), TIMEOUT).exitCode())
                .isEqualTo(127);
    }

    @Test
    void standardInputIsDeliveredAndClosed() {
        byte[] input = new byte[3 * 1024 * 1024];
        new Random(7).nextBytes(input);

        ExecResult small = h1().exec(List.of("cat"), "hello\n".getBytes(UTF_8), TIMEOUT);
        ExecResult large = h1().exec(List.of("wc", "-c"), input, TIMEOUT);

        assertThat(small.stdout()).isEqualTo("hello\n");
        assertThat(large.stdout().strip()).isEqualTo(Integer.toString(input.length));
    }

    @Test
    void aCommandThatOutlivesItsTimeoutIsKilled() throws Exception {
        long start = System.nanoTime();

        assertThatThrownBy(() -> h1().exec(sh("echo $$ >/tmp/timeout.pid; exec sleep 30"), Duration.ofSeconds(1)))
                .isInstanceOf(CommandTimeoutException.class)
                .hasMessageContaining("did not finish within 1 s");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        String pid = h1().readFile("/tmp/timeout.pid")
                .map(b -> new String(b, UTF_8).strip())
                .orElseThrow();
        assertThat(awaitGone(h1(), pid)).as("sleep %s is gone", pid).isTrue();
    }

    @Test
    void aProcessLeftBehindWithItsOutputOpenDoesNotHoldTheCall() {
        long start = System.nanoTime();

        ExecResult result = h1().exec(sh("sleep 20 & echo started"), TIMEOUT);

        assertThat(result.stdout()).isEqualTo("started\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void anUploadArrivesIntactAndIsCounted() throws Exception {
        Path file = tmp.resolve("data.bin");
        byte[] data = new byte[20 * 1024 * 1024];
        new Random(42).nextBytes(data);
        Files.write(file, data);
        SshHost host = h1();
        long before = host.bytesUploaded();

        host.upload(file, "/srv/uploads/deep/data.bin");

        assertThat(host.bytesUploaded() - before).isEqualTo(data.length);
        String remote = host.execChecked(List.of("sha256sum", "/srv/uploads/deep/data.bin"), TIMEOUT)
                .stdout()
                .split(" ")[0];
        assertThat(remote).isEqualTo(DistributionInstaller.sha256(file));
        assertThat(host.execChecked(List.of("stat", "-c", "%a", "/srv/uploads/deep/data.bin"), TIMEOUT)
                        .stdout()
                        .strip())
                .isEqualTo("644");
        assertThat(host.execChecked(List.of("ls", "-A", "/srv/uploads/deep"), TIMEOUT)
                        .stdout())
                .isEqualTo("data.bin\n");
    }

    @Test
    void writeFileReplacesTheFileAtomicallyWithTheGivenMode() {
        SshHost host = h1();
        byte[] binary = {0, 1, 2, (byte) 0xff, '\n', 'x'};

        host.writeFile("/opt/wf/conf/broker.conf", "first\n".getBytes(UTF_8), 0644);
        host.writeFile("/opt/wf/conf/broker.conf", binary, 0640);

        assertThat(host.readFile("/opt/wf/conf/broker.conf"))
                .hasValueSatisfying(content -> assertThat(content).isEqualTo(binary));
        assertThat(host.execChecked(List.of("stat", "-c", "%a", "/opt/wf/conf/broker.conf"), TIMEOUT)
                        .stdout()
                        .strip())
                .isEqualTo("640");
        assertThat(host.execChecked(List.of("ls", "-A", "/opt/wf/conf"), TIMEOUT)
                        .stdout())
                .isEqualTo("broker.conf\n");
    }

    @Test
    void readFileOfAMissingFileIsEmptyAndExistsSaysSo() {
        assertThat(h1().readFile("/opt/nothing/here")).isEmpty();
        assertThat(h1().exists("/opt/nothing/here")).isFalse();
        assertThat(h1().exists("/opt")).isTrue();
        assertThatThrownBy(() -> h1().readFile("/opt"))
                .isInstanceOf(HostException.class)
                .hasMessageContaining("reading /opt on root@" + hosts.address(1) + ":22");
    }

    @Test
    void aDaemonStartedOverSshSurvivesTheConnectionAndIsStoppedOverANewOne() {
        String dir = "/opt/rocketmq/sleeper";
        ComponentSpec spec = new ComponentSpec(
                dir,
                Map.of("a.conf", "x=1\n".getBytes(UTF_8)),
                List.of("/bin/sh", "-c", "sleep 600; :", dir),
                Map.of());
        try (SshHost first = new SshHost(SshTestHosts.settings(hosts, 2))) {
            new ProcessControl(first).start(spec);
        }

        try (SshHost second = new SshHost(SshTestHosts.settings(hosts, 2))) {
            ProcessControl control = new ProcessControl(second);
            assertThat(control.status(dir)).isInstanceOf(ProcessStatus.Running.class);

            assertThat(control.stop(dir, Duration.ofSeconds(5))).isTrue();
            assertThat(control.status(dir)).isInstanceOf(ProcessStatus.Stopped.class);
        }
    }

    @Test
    void theInstallerUploadsADistributionOnlyOnce() throws Exception {
        Path archive = tmp.resolve("dist.zip");
        try (OutputStream out = Files.newOutputStream(archive);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("rocketmq/lib/a.jar"));
            zip.write("jar".getBytes(UTF_8));
            zip.closeEntry();
        }
        String sha = DistributionInstaller.sha256(archive);
        SshHost host = pool.get(SshTestHosts.settings(hosts, 2));
        DistributionInstaller installer = new DistributionInstaller();

        long before = host.bytesUploaded();
        InstalledDistribution first = installer.ensureInstalled(host, "/opt/rocketmq", archive, sha);
        long afterFirst = host.bytesUploaded();
        InstalledDistribution second = installer.ensureInstalled(host, "/opt/rocketmq", archive, sha);

        assertThat(afterFirst - before).isEqualTo(Files.size(archive));
        assertThat(host.bytesUploaded()).isEqualTo(afterFirst);
        assertThat(second).isEqualTo(first);
        assertThat(host.exists(first.libDir() + "/a.jar")).isTrue();
    }

    @Test
    void aHostBehindABastionIsReachedAndItsHostKeyIsVerified() {
        SshSettings viaH1 = SshTestHosts.settings(hosts, 2).withBastion(SshTestHosts.settings(hosts, 1));
        SshHost host = pool.get(viaH1);

        assertThat(host.execChecked(List.of("hostname"), TIMEOUT).stdout()).isEqualTo("h2\n");
        assertThat(host.name()).isEqualTo("root@" + hosts.address(2) + ":22 via root@" + hosts.address(1) + ":22");

        try (SshHost impostor = new SshHost(viaH1.withHostKey(hosts.hostKey(1)))) {
            assertThatThrownBy(() -> impostor.exec(List.of("true"), TIMEOUT))
                    .isInstanceOf(HostException.class)
                    .hasMessageContaining("the host key of " + hosts.address(2) + ":22 was not accepted")
                    .hasMessageContaining(hosts.fingerprint(2));
        }
    }

    @Test
    void aTargetWhoseHostKeyCheckFailsLeavesNoConnectionToTheBastion() throws Exception {
        SshSettings bastion = SshTestHosts.settings(hosts, 1);
        int before = established(hosts.address(1));
        // /proc/self/mem is a file that cannot be read: the check throws before it connects.
        SshSettings unreadableKnownHosts = SshTestHosts.settings(hosts, 2)
                .withKnownHostsFile("/proc/self/mem")
                .withBastion(bastion);
        SshSettings wrongHostKey =
                SshTestHosts.settings(hosts, 2).withHostKey(hosts.hostKey(1)).withBastion(bastion);

        for (SshSettings failing : List.of(unreadableKnownHosts, wrongHostKey)) {
            try (SshHost host = new SshHost(failing)) {
                assertThatThrownBy(() -> host.exec(List.of("true"), TIMEOUT))
                        .isInstanceOf(HostException.class)
                        .hasMessageContaining(hosts.address(2) + ":22");
            }
        }

        assertThat(established(hosts.address(1)))
                .as("connections to the bastion %s:22 after the failures", hosts.address(1))
                .isEqualTo(before);
    }

    /** TCP connections of this network namespace to {@code address:22} that are established. */
    private static int established(String address) throws IOException {
        String[] octets = address.split("\\.");
        String remote = String.format(
                        "%02X%02X%02X%02X:0016",
                        Integer.parseInt(octets[3]),
                        Integer.parseInt(octets[2]),
                        Integer.parseInt(octets[1]),
                        Integer.parseInt(octets[0]))
                .toUpperCase(java.util.Locale.ROOT);
        try (var lines = Files.lines(Path.of("/proc/net/tcp"))) {
            return (int) lines.skip(1)
                    .map(line -> line.trim().split("\\s+"))
                    .filter(fields -> fields[2].equals(remote) && fields[3].equals("01"))
                    .count();
        }
    }

    @Test
    void aWrongPrivateKeyFailsAtOnceNamingTheLogin() throws Exception {
        Path key = tmp.resolve("other_key");
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start()
                .waitFor();
        long attemptsBefore = authenticationAttempts(1);
        long start = System.nanoTime();

        try (SshHost host = new SshHost(SshTestHosts.settings(hosts, 1).withPrivateKey(Files.readString(key)))) {
            assertThatThrownBy(() -> host.exec(List.of("true"), TIMEOUT))
                    .isInstanceOf(HostException.class)
                    .hasMessageContaining("authentication of root@" + hosts.address(1) + ":22 failed")
                    .hasMessageContaining("private_key");
        }

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        Thread.sleep(200);
        assertThat(authenticationAttempts(1) - attemptsBefore).isEqualTo(1);
    }

    @Test
    void aConnectionUnusedForItsIdleTimeIsClosedAndTheNextCommandOpensANewOne() throws Exception {
        SshHosts own = new SshHosts();
        try {
            SshHost host = own.get(SshTestHosts.settings(hosts, 3).withHostKey(hosts.hostKey(3)));
            long before = logins(3);
            assertThat(host.exec(sh("true"), TIMEOUT).exitCode()).isZero();
            assertThat(own.closeIdle(Duration.ofHours(1)))
                    .as("recently used: kept")
                    .isZero();
            Thread.sleep(50);
            assertThat(own.closeIdle(Duration.ofMillis(10))).as("idle: closed").isEqualTo(1);
            assertThat(own.closeIdle(Duration.ofMillis(10)))
                    .as("nothing left to close")
                    .isZero();
            assertThat(host.exec(sh("true"), TIMEOUT).exitCode()).isZero();
            Thread.sleep(200);
            assertThat(logins(3) - before)
                    .as("one login, then another after the idle close")
                    .isEqualTo(2);
        } finally {
            own.close();
        }
    }

    private static long logins(int host) throws IOException {
        try (var lines = Files.lines(hosts.sshdLog(host))) {
            return lines.filter(line -> line.contains("Accepted publickey")).count();
        }
    }

    /** Connections that the server closed during authentication, as its log counts them. */
    private static long authenticationAttempts(int host) throws IOException {
        try (var lines = Files.lines(hosts.sshdLog(host))) {
            return lines.filter(line -> line.contains("from authenticating user"))
                    .count();
        }
    }

    @Test
    void anUnknownHostKeyIsRefusedWithItsFingerprintAndAFix() throws Exception {
        Path empty = Files.createFile(tmp.resolve("known_hosts"));

        try (SshHost host = new SshHost(SshTestHosts.settings(hosts, 1).withKnownHostsFile(empty.toString()))) {
            assertThatThrownBy(() -> host.exec(List.of("true"), TIMEOUT))
                    .isInstanceOf(HostException.class)
                    .hasMessageContaining("the host key of " + hosts.address(1) + ":22 was not accepted")
                    .hasMessageContaining("ssh-ed25519 key " + hosts.fingerprint(1))
                    .hasMessageContaining("host_key = \"" + hosts.hostKey(1) + "\"")
                    .hasMessageContaining("insecure_ignore_host_key = true");
        }
    }

    @Test
    void theHostKeyAttributeAcceptsExactlyThatKey() throws Exception {
        Path empty = Files.createFile(tmp.resolve("known_hosts"));
        SshSettings settings = SshTestHosts.settings(hosts, 1).withKnownHostsFile(empty.toString());

        try (SshHost right = new SshHost(settings.withHostKey(hosts.hostKey(1) + " comment"));
                SshHost wrong = new SshHost(settings.withHostKey(hosts.hostKey(2)))) {
            assertThat(right.execChecked(List.of("hostname"), TIMEOUT).stdout()).isEqualTo("h1\n");
            assertThatThrownBy(() -> wrong.exec(List.of("true"), TIMEOUT))
                    .isInstanceOf(HostException.class)
                    .hasMessageContaining("but host_key expects ssh-ed25519 " + hosts.fingerprint(2));
        }
    }

    @Test
    void ignoringTheHostKeyConnectsToAnyHost() throws Exception {
        Path empty = Files.createFile(tmp.resolve("known_hosts"));

        try (SshHost host = new SshHost(SshTestHosts.settings(hosts, 1)
                .withKnownHostsFile(empty.toString())
                .withInsecureIgnoreHostKey(true))) {
            assertThat(host.execChecked(List.of("hostname"), TIMEOUT).stdout()).isEqualTo("h1\n");
        }
    }

    @Test
    void aChangedHostKeyIsRefused() {
        hosts.regenerateHostKey(3);

        try (SshHost host = new SshHost(SshTestHosts.settings(hosts, 3))) {
            assertThatThrownBy(() -> host.exec(List.of("true"), TIMEOUT))
                    .isInstanceOf(HostException.class)
                    .hasMessageContaining("the host key of " + hosts.address(3) + ":22 was not accepted")
                    .hasMessageContaining(hosts.fingerprint(3))
                    .hasMessageContaining("does not match the known_hosts file");
        }
    }

    @Test
    void anUnreachableHostFailsWithinTheTimeoutNamingTheAddress() {
        SshSettings settings = h3Settings().withTimeout(Duration.ofSeconds(2));
        SshHost connected = new SshHost(settings);
        connected.connect();
        hosts.linkDown(3);
        try (SshHost fresh = new SshHost(settings)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> fresh.exec(List.of("true"), TIMEOUT))
                    .isInstanceOf(HostException.class)
                    .hasMessageContaining("cannot reach " + hosts.address(3) + ":22 within 2 s");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));

            start = System.nanoTime();
            assertThatThrownBy(() -> connected.exec(List.of("true"), TIMEOUT))
                    .isInstanceOf(HostException.class)
                    .hasMessageContaining(hosts.address(3) + ":22");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        } finally {
            hosts.linkUp(3);
            connected.close();
        }
        try (SshHost again = new SshHost(settings)) {
            assertThat(again.execChecked(List.of("hostname"), TIMEOUT).stdout()).isEqualTo("h3\n");
        }
    }

    @Test
    void thePoolReconnectsTransparentlyAfterTheServerRestarted() {
        SshHost host = pool.get(h3Settings());
        assertThat(host.execChecked(List.of("hostname"), TIMEOUT).stdout()).isEqualTo("h3\n");

        hosts.restartSshd(3);
        hosts.dropConnections(3);

        assertThat(host.execChecked(List.of("hostname"), TIMEOUT).stdout()).isEqualTo("h3\n");
        assertThat(pool.get(h3Settings())).isSameAs(host);
    }

    @Test
    void thePrivateKeyAppearsInNoMessageAndNoToString() throws Exception {
        String key = hosts.privateKeyText();
        String keyBody = key.lines()
                .filter(line -> !line.startsWith("-----"))
                .findFirst()
                .orElseThrow();
        Path empty = Files.createFile(tmp.resolve("known_hosts"));
        List<SshSettings> failing = List.of(
                SshTestHosts.settings(hosts, 1).withKnownHostsFile(empty.toString()),
                SshTestHosts.settings(hosts, 1).withPrivateKey(key.replace(keyBody, keyBody.substring(1) + "A")),
                SshTestHosts.settings(hosts, 1).withPrivateKey("not a key " + keyBody));
        List<String> texts = new ArrayList<>();
        texts.add(SshTestHosts.settings(hosts, 1).toString());
        texts.add(SshTestHosts.settings(hosts, 2)
                .withBastion(SshTestHosts.settings(hosts, 1))
                .toString());
        for (SshSettings settings : failing) {
            try (SshHost host = new SshHost(settings)) {
                host.exec(List.of("true"), TIMEOUT);
                texts.add("connected unexpectedly");
            } catch (HostException e) {
                for (Throwable t = e; t != null; t = t.getCause()) {
                    texts.add(String.valueOf(t.getMessage()));
                    texts.add(t.toString());
                }
            }
        }

        assertThat(texts)
                .hasSizeGreaterThan(4)
                .noneMatch(text -> text.contains(keyBody))
                .noneMatch(text -> text.contains(keyBody.substring(10, 40)))
                .noneMatch(text -> text.contains("connected unexpectedly"));
        assertThat(texts.get(0)).contains("privateKey=Optional[<sensitive>]");
    }

    private static boolean awaitGone(SshHost host, String pid) throws InterruptedException {
        for (int i = 0; i < 40; i++) {
            if (!host.exists("/proc/" + pid)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }
}
