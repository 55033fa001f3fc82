package dev.tfrocketmq.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.acceptance.harness.Backends;
import dev.tfrocketmq.acceptance.harness.Examples;
import dev.tfrocketmq.acceptance.harness.Hcl;
import dev.tfrocketmq.acceptance.harness.Messages;
import dev.tfrocketmq.acceptance.harness.PlanJson;
import dev.tfrocketmq.acceptance.harness.Project;
import dev.tfrocketmq.acceptance.harness.StopAfterFailedStep;
import dev.tfrocketmq.acceptance.harness.SuiteTeardown;
import dev.tfrocketmq.acceptance.harness.Terraform;
import dev.tfrocketmq.acceptance.harness.WorkDir;
import dev.tfrocketmq.testing.ExecResult;
import dev.tfrocketmq.testing.TestHosts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 * Nothing lost under faults, on the two-host example (two name servers, two broker groups crossed over the hosts) and
 * ten topics: each step injects a fault, plans (the plan must neither create nor delete anything that exists), applies
 * where there is something to repair (the apply must converge, a second plan be clean), and checks that messages sent
 * before the fault are still there. The rows of the resulting matrix are written to {@code fault-matrix.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(StopAfterFailedStep.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
final class FaultMatrixTest {
    private static final String PREFIX = "accfm";
    private static final String NET = "198.18.15";
    private static final String INSTALL_DIR = "/opt/rocketmq";
    private static final int TOPICS = 10;
    private static final Duration DELIVERY = Duration.ofSeconds(60);

    private Path workdir;
    private TestHosts hosts;
    private Terraform terraform;
    private String topic;
    private List<String> sent = new ArrayList<>();
    private final List<String> matrix = new ArrayList<>();

    @BeforeAll
    void bringUpHostsAndInit() throws IOException {
        Project.requirePackaged();
        workdir = WorkDir.create("fault-matrix");
        hosts = TestHosts.up(PREFIX, NET, 2, workdir.resolve("hosts"));
        terraform = Terraform.in(Examples.copy("cluster", workdir));
        topic = "fm_orders_" + Long.toHexString(System.nanoTime());
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("host_addresses", Hcl.list(hosts.address(1), hosts.address(2)));
        vars.put("private_key_file", Hcl.string(hosts.privateKey().toString()));
        vars.put("known_hosts_file", Hcl.string(hosts.knownHosts().toString()));
        vars.put("distribution", Hcl.string(Project.runtimeArchive().toString()));
        vars.put("install_dir", Hcl.string(INSTALL_DIR));
        vars.put("nameserver_heap", Hcl.string("128m"));
        vars.put("broker_heap", Hcl.string("256m"));
        vars.put("broker_heap_overrides", "{}");
        vars.put("jvm_options", Hcl.list("-XX:+UseSerialGC"));
        vars.put(
                "broker_properties",
                Hcl.map(Map.of("mappedFileSizeCommitLog", "67108864", "mappedFileSizeConsumeQueue", "600000")));
        vars.put("topic_name", Hcl.string(topic));
        writeVars(vars);
        write(
                terraform.workdir().resolve("more_topics.tf"),
                "resource \"rocketmq_topic\" \"more\" {\n  count        = " + TOPICS + "\n  name         = \"" + topic
                        + "_${count.index}\"\n  cluster_name = module.cluster.cluster_name\n  depends_on   = "
                        + "[module.cluster]\n}\n");
        ExecResult init = terraform.init();
        assertThat(init.exitCode()).as(init.describe()).isZero();
    }

    @AfterAll
    void destroyAndTakeHostsDown() {
        try {
            if (!matrix.isEmpty()) {
                String table = "| fault | what the plan said | next apply | data kept |\n|---|---|---|---|\n"
                        + String.join("\n", matrix) + "\n";
                write(workdir.resolve("fault-matrix.md"), table);
                System.out.println("fault matrix:\n" + table);
            }
        } finally {
            SuiteTeardown.run(terraform, hosts);
        }
    }

    @Test
    @Order(1)
    void planThenApplyCreateTheClusterOverOneSshConnectionPerHost() {
        int[] before = {logins(1), logins(2)};
        ExecResult plan = terraform.plan();
        assertThat(plan.exitCode()).as(plan.describe()).isEqualTo(2);
        ExecResult apply = terraform.apply();
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        for (int i = 1; i <= 2; i++) {
            assertThat(logins(i) - before[i - 1])
                    .as("SSH logins to h%d for a plan and an apply (sshd log %s)", i, hosts.sshdLog(i))
                    .isLessThanOrEqualTo(1);
        }
        sent = Messages.send(nameServers(), topic, 50);
        assertClean("after the first apply");
    }

    @Test
    @Order(2)
    void aNameServerRestartedRightBeforeAPlan() {
        hosts.kill9(1, pid(nameserver(1)));
        String said = planCreatesAndDeletesNothing();
        String applied = applyConverges();
        // The name server is up again, but its brokers register within 30 s: plan at once.
        String replan = planCreatesAndDeletesNothing();
        row("name server restarted during refresh", said + "; right after its restart: " + replan, applied);
    }

    @Test
    @Order(3)
    void oneOfTwoNameServersDown() {
        hosts.kill9(2, pid(nameserver(2)));
        String said = planCreatesAndDeletesNothing();
        row("one of two name servers down", said, applyConverges());
    }

    @Test
    @Order(4)
    void aMasterDownWithItsSlaveUp() {
        hosts.kill9(1, pid(master(1)));
        String said = planCreatesAndDeletesNothing();
        row("master down with its slave up", said, applyConverges());
    }

    @Test
    @Order(5)
    void aBrokerKilled() {
        hosts.kill9(2, pid(slave(2)));
        String said = planCreatesAndDeletesNothing();
        row("broker killed (-9)", said, applyConverges());
    }

    @Test
    @Order(6)
    void everyRocketMqProcessOnAHostKilledAsByAReboot() {
        List<Long> pids = List.of(pid(nameserver(2)), pid(master(2)), pid(slave(2)));
        hosts.ssh(
                2,
                "kill -9 " + String.join(" ", pids.stream().map(String::valueOf).toList()));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (pids.stream().anyMatch(p -> hosts.isAlive(2, p))) {
            assertThat(System.nanoTime()).as("h2's RocketMQ processes are gone").isLessThan(deadline);
            sleep(Duration.ofMillis(100));
        }
        String said = planCreatesAndDeletesNothing();
        row("all RocketMQ processes on a host killed (reboot)", said, applyConverges());
    }

    @Test
    @Order(7)
    void sshdRestartedDuringAnApply() {
        String outcome = faultDuringApply("384m", () -> {
            hosts.restartSshd(1);
            return "sshd of h1 restarted";
        });
        row("sshd restarted mid-apply", outcome, applyConverges());
    }

    @Test
    @Order(8)
    void theNetworkLinkDownDuringAnApplyThenUp() {
        String outcome = faultDuringApply("320m", () -> {
            hosts.linkDown(2);
            sleep(Duration.ofSeconds(8));
            hosts.linkUp(2);
            return "h2's link down for 8 s";
        });
        row("network link down mid-apply, then up", outcome, applyConverges());
    }

    @Test
    @Order(9)
    void theProviderKilledDuringAnApply() {
        String outcome = faultDuringApply("288m", () -> {
            // the launcher Terraform started (the provider as Terraform sees it) and the JVM behind it, both at once
            List<ProcessHandle> launchers = ProcessHandle.allProcesses()
                    .filter(p -> p.info()
                            .command()
                            .map(c -> Path.of(c).getFileName().toString().startsWith("terraform-provider-rocketmq"))
                            .orElse(false))
                    .toList();
            List<Long> backends = Backends.running();
            launchers.forEach(ProcessHandle::destroyForcibly);
            backends.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            return "launcher " + launchers.stream().map(ProcessHandle::pid).toList() + " and backend JVM " + backends
                    + " killed (-9)";
        });
        row("kill -9 of the provider mid-apply", outcome, applyConverges());
    }

    @Test
    @Order(10)
    void theInstallDirectoryFull() {
        hosts.sshOk(1, "mkdir -p /opt/full && mount -t tmpfs -o size=4m tmpfs /opt/full");
        Path extra = terraform.workdir().resolve("full_disk.tf");
        write(
                extra,
                "resource \"rocketmq_nameserver\" \"full\" {\n  host         = " + Hcl.string(hosts.address(1))
                        + "\n  install_dir  = \"/opt/full\"\n  distribution = "
                        + Hcl.string(Project.runtimeArchive().toString())
                        + "\n  listen_port  = 9900\n  jvm_heap     = \"128m\"\n}\n");
        ExecResult full = terraform.apply();
        assertThat(full.exitCode())
                .as("an apply onto a full disk fails\n%s", full.describe())
                .isEqualTo(1);
        assertThat(full.output())
                .as("the error says why and where\n%s", full.describe())
                .contains(hosts.address(1))
                .contains("not enough space");
        assertThat(terraform.state().find("rocketmq_nameserver.full"))
                .as("nothing half-made is recorded as made")
                .isEmpty();
        hosts.sshOk(1, "umount /opt/full");
        String applied = applyConverges();
        delete(extra);
        ExecResult removed = terraform.apply();
        assertThat(removed.exitCode()).as(removed.describe()).isZero();
        row("disk full on the install directory", "apply failed naming the host and the lack of space", applied);
    }

    private String faultDuringApply(String heap, Supplier<String> fault) {
        long slavePid = pid(slave(1));
        long masterPid = pid(master(2));
        writeVar(
                "broker_heap_overrides",
                "{ \"broker-b-master\" = " + Hcl.string(heap) + ", \"broker-b-slave\" = " + Hcl.string(heap) + " }");
        CompletableFuture<ExecResult> apply = CompletableFuture.supplyAsync(() -> terraform.apply());
        // the fault comes once broker-b's restart is under way: one of its old processes has gone
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (hosts.isAlive(1, slavePid) && hosts.isAlive(2, masterPid) && !apply.isDone()) {
            assertThat(System.nanoTime()).as("broker-b's restart began").isLessThan(deadline);
            sleep(Duration.ofMillis(200));
        }
        String what = fault.get();
        ExecResult result = apply.join();
        assertThat(result.took())
                .as("the apply restarted broker-b\n%s", result.describe())
                .isGreaterThan(Duration.ofSeconds(3));
        return what + " while broker-b was restarting: that apply "
                + (result.succeeded() ? "succeeded" : "failed (" + firstError(result) + ")");
    }

    private static String firstError(ExecResult result) {
        return result.output()
                .lines()
                .filter(l -> l.startsWith("Error: "))
                .findFirst()
                .orElse("exit " + result.exitCode())
                .replace('|', '/');
    }

    /** Plans into JSON: no create, no delete of anything; returns what it planned. */
    private String planCreatesAndDeletesNothing() {
        PlanJson plan = terraform.planJson();
        assertThat(plan.addressesWith("create"))
                .as("nothing is created\n%s", plan.describe())
                .isEmpty();
        assertThat(plan.addressesWith("delete"))
                .as("nothing is deleted\n%s", plan.describe())
                .isEmpty();
        List<String> updates = plan.addressesWith("update");
        return updates.isEmpty() ? "no changes" : "update in place of " + shortNames(updates);
    }

    /** Applies, plans clean, and checks the messages sent at the start are all there. */
    private String applyConverges() {
        ExecResult apply = terraform.apply();
        if (!apply.succeeded()) {
            // A repair may race the brokers' re-registration once; a second apply must then converge.
            apply = terraform.apply();
        }
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        assertClean("after the repair");
        Set<String> received = Messages.receive(nameServers(), topic, sent, DELIVERY);
        assertThat(received).as("messages sent before the faults").containsExactlyInAnyOrderElementsOf(sent);
        return "converged; plan clean";
    }

    private void assertClean(String when) {
        ExecResult plan = terraform.plan();
        if (plan.exitCode() == 2) {
            sleep(Duration.ofSeconds(5)); // a broker that was just started may still be registering
            plan = terraform.plan();
        }
        assertThat(plan.exitCode())
                .as("no changes %s\n%s", when, plan.describe())
                .isZero();
    }

    private void row(String fault, String plan, String apply) {
        matrix.add("| " + fault + " | " + plan + " | " + apply + " | " + sent.size() + " of " + sent.size()
                + " messages read back |");
    }

    private static String shortNames(List<String> addresses) {
        return addresses.stream()
                .map(a -> a.replace("module.cluster.", ""))
                .toList()
                .toString();
    }

    private int logins(int host) {
        try {
            return (int) Files.readAllLines(hosts.sshdLog(host), StandardCharsets.ISO_8859_1).stream()
                    .filter(l -> l.contains("Accepted publickey"))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long pid(String address) {
        return terraform.state().resource(address).number("pid");
    }

    private String nameServers() {
        return hosts.address(1) + ":9876;" + hosts.address(2) + ":9876";
    }

    private String nameserver(int i) {
        return "module.cluster.rocketmq_nameserver.this[\"" + hosts.address(i) + "\"]";
    }

    private String master(int i) {
        return "module.cluster.rocketmq_broker.master[\"" + hosts.address(i) + "\"]";
    }

    private String slave(int i) {
        return "module.cluster.rocketmq_broker.slave[\"" + hosts.address(i) + "\"]";
    }

    private void writeVars(Map<String, String> vars) {
        StringBuilder tfvars = new StringBuilder();
        vars.forEach(
                (name, value) -> tfvars.append(name).append(" = ").append(value).append('\n'));
        write(terraform.workdir().resolve("terraform.tfvars"), tfvars.toString());
    }

    private void writeVar(String name, String value) {
        Path file = terraform.workdir().resolve("terraform.tfvars");
        try {
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                lines.add(line.startsWith(name + " ") ? name + " = " + value : line);
            }
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
