package dev.tfrocketmq.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.acceptance.harness.Await;
import dev.tfrocketmq.acceptance.harness.Hcl;
import dev.tfrocketmq.acceptance.harness.Project;
import dev.tfrocketmq.acceptance.harness.ProviderLog;
import dev.tfrocketmq.acceptance.harness.StateJson;
import dev.tfrocketmq.acceptance.harness.StopAfterFailedStep;
import dev.tfrocketmq.acceptance.harness.SuiteTeardown;
import dev.tfrocketmq.acceptance.harness.Terraform;
import dev.tfrocketmq.acceptance.harness.WorkDir;
import dev.tfrocketmq.testing.ExecResult;
import dev.tfrocketmq.testing.TestHosts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One host that two Terraform working directories share, and an apply stopped with Ctrl-C:
 *
 * <ul>
 *   <li>Two applies at once, each with its own provider process (no lock in a JVM they share), install the same
 *       distribution into the same {@code install_dir} for different components: both succeed, and the distribution
 *       is uploaded and extracted once, under the lock on the host.
 *   <li>SIGINT to {@code terraform apply} (its whole process group, as Ctrl-C in a terminal) while a distribution is
 *       uploaded over a slow link: terraform exits within seconds, leaves no partial upload and no lock behind, and
 *       the next apply converges to a clean plan.
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(StopAfterFailedStep.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
final class SharedHostTest {
    private static final String PREFIX = "accshr";
    private static final String NET = "198.18.16";
    private static final int HOST = 1;
    private static final String INSTALL_DIR = "/opt/rocketmq";
    private static final String BROKER_INSTALL_DIR = "/opt/rocketmq-brokers";
    private static final int PORT_A = 9876;
    private static final int PORT_B = 9877;
    private static final String UPLOADED = "distribution uploaded";
    private static final String UPLOADING = "uploading distribution";
    private static final String WAITING = "waiting for a lock held by another process";
    /** A link this slow makes the upload of the ~90 MB archive last about 20 s. */
    private static final String SLOW_LINK = "40mbit";
    /** From SIGINT to terraform's exit: the provider stops its upload at once, terraform then winds down. */
    private static final Duration STOP_LIMIT = Duration.ofSeconds(15);

    private Path workdir;
    private TestHosts hosts;
    private Terraform first;
    private Terraform second;
    private String sha256;

    @BeforeAll
    void bringUpHostAndInit() throws Exception {
        Project.requirePackaged();
        workdir = WorkDir.create("shared-host");
        hosts = TestHosts.up(PREFIX, NET, 1, workdir.resolve("hosts"));
        sha256 = sha256(Project.runtimeArchive());
        first = Terraform.in(Files.createDirectories(workdir.resolve("first")));
        second = Terraform.in(Files.createDirectories(workdir.resolve("second")));
        first.writeConfig(config("a", PORT_A, false));
        second.writeConfig(config("b", PORT_B, false));
        for (Terraform terraform : List.of(first, second)) {
            ExecResult init = terraform.init();
            assertThat(init.exitCode()).as(init.describe()).isZero();
        }
    }

    @AfterAll
    void destroyBothAndTakeTheHostDown() {
        try {
            if (second != null && hosts != null) {
                ExecResult destroy = second.destroy();
                if (!destroy.succeeded()) {
                    System.err.println("teardown: " + destroy.describe());
                }
            }
        } finally {
            if (hosts != null) {
                hosts.unshapeLink(HOST);
            }
            SuiteTeardown.run(first, hosts);
        }
    }

    @Test
    @Order(1)
    void twoAppliesAtOnceOnOneHost_bothSucceed_andTheDistributionIsInstalledOnce() throws Exception {
        String distLock = INSTALL_DIR + "/dist/.lock-" + sha256;
        // Hold the installation lock until both providers wait for it, so that they surely meet there.
        hosts.sshOk(
                HOST,
                "mkdir -p " + INSTALL_DIR + "/dist && setsid -f flock " + distLock
                        + " sleep 297 </dev/null >/dev/null 2>&1");
        Path firstLog = workdir.resolve("first-apply.provider.log");
        Path secondLog = workdir.resolve("second-apply.provider.log");
        // A provider process of its own for each run: only the lock on the host stands between them.
        Terraform.Running a = first.start(ownProcess(firstLog), "apply", "-no-color", "-input=false", "-auto-approve");
        Terraform.Running b =
                second.start(ownProcess(secondLog), "apply", "-no-color", "-input=false", "-auto-approve");
        try {
            Await.until("both providers waiting for " + distLock, Duration.ofMinutes(2), () -> {
                for (Terraform.Running run : List.of(a, b)) {
                    if (!run.isAlive()) {
                        throw new AssertionError("an apply ended before the lock was released\n"
                                + run.await(Duration.ZERO).describe());
                    }
                }
                return waitedFor(firstLog, distLock) && waitedFor(secondLog, distLock);
            });
        } finally {
            // The pattern does not match the command line of the shell that runs pkill.
            hosts.sshOk(HOST, "pkill -f 'sleep 29[7]' || true");
        }

        ExecResult applyA = a.await(Terraform.APPLY_TIMEOUT);
        ExecResult applyB = b.await(Terraform.APPLY_TIMEOUT);

        assertThat(applyA.exitCode()).as(applyA.describe()).isZero();
        assertThat(applyB.exitCode()).as(applyB.describe()).isZero();
        List<ProviderLog.Entry> uploads = new ArrayList<>(ProviderLog.entries(firstLog, UPLOADED));
        uploads.addAll(ProviderLog.entries(secondLog, UPLOADED));
        assertThat(uploads).as("uploads by both providers").hasSize(1);
        assertThat(list(INSTALL_DIR + "/dist"))
                .as("one installation, its lock file, nothing else")
                .containsExactly(".lock-" + sha256, sha256);
        StateJson.Resource nsA = first.state().resource("rocketmq_nameserver.a");
        StateJson.Resource nsB = second.state().resource("rocketmq_nameserver.b");
        assertThat(nsA.string("state")).isEqualTo("running");
        assertThat(nsB.string("state")).isEqualTo("running");
        assertThat(hosts.isAlive(HOST, nsA.number("pid"))).isTrue();
        assertThat(hosts.isAlive(HOST, nsB.number("pid"))).isTrue();
        assertThat(list(INSTALL_DIR + "/.locks"))
                .as("component locks, no holder left")
                .containsExactly("nameserver-" + PORT_A, "nameserver-" + PORT_B);
    }

    @Test
    @Order(2)
    void sigintDuringAnUpload_stopsWithinSeconds_andTheNextApplyConverges() throws Exception {
        first.writeConfig(config("a", PORT_A, true));
        Path log = workdir.resolve("interrupted-apply.provider.log");
        hosts.shapeLink(HOST, SLOW_LINK);
        ExecResult interrupted;
        long sent;
        try {
            Terraform.Running apply = first.start(
                    Map.of("TF_LOG_PROVIDER", "debug", "TF_LOG_PATH", log.toString()),
                    "apply",
                    "-no-color",
                    "-input=false",
                    "-auto-approve");
            Await.until("the broker's distribution upload to be under way", Duration.ofMinutes(2), () -> {
                if (!apply.isAlive()) {
                    throw new AssertionError("the apply ended before its upload started\n"
                            + apply.await(Duration.ZERO).describe());
                }
                return !ProviderLog.entries(log, UPLOADING).isEmpty()
                        && list(BROKER_INSTALL_DIR + "/dist").stream().anyMatch(name -> name.contains("upload"));
            });
            Thread.sleep(1000);
            assertThat(apply.isAlive())
                    .as("the upload takes longer than a second")
                    .isTrue();

            sent = System.nanoTime();
            apply.interrupt();
            interrupted = apply.await(Terraform.APPLY_TIMEOUT);
        } finally {
            hosts.unshapeLink(HOST);
        }
        Duration stopped = Duration.ofNanos(System.nanoTime() - sent);

        assertThat(interrupted.exitCode())
                .as("an interrupted apply fails\n%s", interrupted.describe())
                .isNotZero();
        assertThat(interrupted.timedOut()).as(interrupted.describe()).isFalse();
        assertThat(stopped)
                .as("from SIGINT to terraform's exit\n%s", interrupted.describe())
                .isLessThan(STOP_LIMIT);
        assertThat(interrupted.output()).as(interrupted.describe()).contains("Stopped before the broker");
        assertThat(list(BROKER_INSTALL_DIR + "/dist"))
                .as("nothing of the stopped upload is left")
                .noneMatch(name -> name.contains("upload") || name.contains("extract") || name.contains("held"));
        assertThat(list(BROKER_INSTALL_DIR + "/.locks"))
                .as("no lock is held after the stop")
                .noneMatch(name -> name.contains("held"));

        ExecResult apply = first.apply();
        assertThat(apply.exitCode())
                .as("the next apply converges\n%s", apply.describe())
                .isZero();
        StateJson.Resource broker = first.state().resource("rocketmq_broker.a");
        assertThat(broker.string("state")).isEqualTo("running");
        assertThat(hosts.isAlive(HOST, broker.number("pid"))).isTrue();
        ExecResult plan = first.plan();
        assertThat(plan.exitCode())
                .as("a clean plan after it\n%s", plan.describe())
                .isZero();
    }

    private static Map<String, String> ownProcess(Path log) {
        return Map.of(
                "TF_ROCKETMQ_BACKEND", "process",
                "TF_LOG_PROVIDER", "debug",
                "TF_LOG_PATH", log.toString());
    }

    private static boolean waitedFor(Path log, String lock) {
        return ProviderLog.entries(log, WAITING).stream().anyMatch(entry -> lock.equals(entry.field("lock")));
    }

    /** The names in a directory of the host, sorted; none when it does not exist. */
    private List<String> list(String dir) throws IOException {
        Path local = hosts.fs(HOST).resolve(dir.substring(1));
        if (!Files.isDirectory(local)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(local)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A name server on {@code port}, and with {@code broker} a broker installed into a directory of its own. */
    private String config(String name, int port, boolean broker) {
        String distribution = Project.runtimeArchive().toString();
        Hcl.Block ssh = Hcl.Block.nested("ssh")
                .with("private_key", "file(" + Hcl.string(hosts.privateKey().toString()) + ")")
                .withString("known_hosts_file", hosts.knownHosts().toString())
                .withString("timeout", "10s");
        StringBuilder hcl = new StringBuilder()
                .append(Hcl.requiredProvider())
                .append("\n")
                .append(Hcl.Block.provider("rocketmq").withBlock(ssh).render())
                .append("\n")
                .append(Hcl.Block.resource("rocketmq_nameserver", name)
                        .withString("host", hosts.address(HOST))
                        .withString("install_dir", INSTALL_DIR)
                        .withString("distribution", distribution)
                        .with("listen_port", Integer.toString(port))
                        .withString("jvm_heap", "128m")
                        .with("jvm_options", Hcl.list("-XX:+UseSerialGC"))
                        .render());
        if (broker) {
            hcl.append("\n")
                    .append(Hcl.Block.resource("rocketmq_broker", name)
                            .withString("host", hosts.address(HOST))
                            .withString("install_dir", BROKER_INSTALL_DIR)
                            .withString("distribution", distribution)
                            .withString("broker_name", "broker-" + name)
                            .with("name_servers", "[rocketmq_nameserver." + name + ".address]")
                            .withString("jvm_heap", "256m")
                            .with("jvm_options", Hcl.list("-XX:+UseSerialGC"))
                            .with(
                                    "properties",
                                    Hcl.map(Map.of(
                                            "mappedFileSizeCommitLog", "67108864",
                                            "mappedFileSizeConsumeQueue", "600000")))
                            .render());
        }
        return hcl.toString();
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
