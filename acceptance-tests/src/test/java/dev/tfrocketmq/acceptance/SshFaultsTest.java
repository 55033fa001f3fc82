package dev.tfrocketmq.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.acceptance.harness.Await;
import dev.tfrocketmq.acceptance.harness.Hcl;
import dev.tfrocketmq.acceptance.harness.Project;
import dev.tfrocketmq.acceptance.harness.StateJson;
import dev.tfrocketmq.acceptance.harness.StopAfterFailedStep;
import dev.tfrocketmq.acceptance.harness.SuiteTeardown;
import dev.tfrocketmq.acceptance.harness.Terraform;
import dev.tfrocketmq.acceptance.harness.WorkDir;
import dev.tfrocketmq.testing.ExecResult;
import dev.tfrocketmq.testing.TestHosts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * What the provider does when SSH goes wrong, on one name server on one host: the host unreachable, a key the host
 * does not accept, a host key nobody vouched for, a host key that changed, and a destroy after the process died.
 * Every failure must come quickly, name the host, and leave the resource in the state.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(StopAfterFailedStep.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
final class SshFaultsTest {
    private static final String PREFIX = "accsshf";
    private static final String NET = "198.18.13";
    private static final int HOST = 1;
    private static final String NAMESERVER = "rocketmq_nameserver.ns";
    private static final int NAMESERVER_PORT = 9876;
    private static final String SSH_TIMEOUT = "3s";
    private static final Duration UNREACHABLE_LIMIT = Duration.ofSeconds(60);
    private static final Duration AUTH_LIMIT = Duration.ofSeconds(30);
    private static final Duration PROCESS_EXIT = Duration.ofSeconds(20);

    private Path workdir;
    private TestHosts hosts;
    private Terraform terraform;
    private Path knownHosts;
    private Path emptyKnownHosts;
    private Path wrongKey;

    @BeforeAll
    void bringUpHostAndInit() throws IOException {
        Project.requirePackaged();
        workdir = WorkDir.create("ssh-faults");
        hosts = TestHosts.up(PREFIX, NET, 1, workdir.resolve("hosts"));
        knownHosts = workdir.resolve("known_hosts");
        Files.copy(hosts.knownHosts(), knownHosts, StandardCopyOption.REPLACE_EXISTING);
        emptyKnownHosts = Files.createFile(workdir.resolve("empty_known_hosts"));
        wrongKey = workdir.resolve("wrong_id_ed25519");
        generateKey(wrongKey);
        terraform = Terraform.in(workdir);
        terraform.writeConfig(config(hosts.privateKey(), knownHosts));
        ExecResult init = terraform.init();
        assertThat(init.exitCode()).as(init.describe()).isZero();
    }

    @AfterAll
    void destroyAndTakeHostDown() {
        try {
            if (terraform != null && hosts != null) {
                hosts.linkUp(HOST);
                hosts.trustCurrentHostKey(HOST);
                copyKnownHosts();
                terraform.writeConfig(config(hosts.privateKey(), knownHosts));
            }
        } finally {
            SuiteTeardown.run(terraform, hosts);
        }
    }

    @Test
    @Order(1)
    void apply_startsTheNameServer() {
        ExecResult apply = terraform.apply();
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        StateJson.Resource ns = terraform.state().resource(NAMESERVER);
        assertThat(ns.string("state")).isEqualTo("running");
        assertThat(ns.string("address")).isEqualTo(hosts.address(HOST) + ":" + NAMESERVER_PORT);
        assertThat(hosts.isAlive(HOST, ns.number("pid")))
                .as("name server pid on the host")
                .isTrue();
    }

    @Test
    @Order(2)
    void unreachableHost_failsPlanAndApplyWithinTheTimeout_andKeepsTheState() {
        hosts.linkDown(HOST);
        try {
            for (String command : List.of("plan", "apply")) {
                ExecResult result = command.equals("plan")
                        ? terraform.plan()
                        : terraform.run(Terraform.APPLY_TIMEOUT, "apply", "-no-color", "-input=false", "-auto-approve");
                assertThat(result.exitCode())
                        .as("%s against an unreachable host fails\n%s", command, result.describe())
                        .isEqualTo(1);
                assertThat(result.took())
                        .as("%s gives up in time (ssh timeout %s)\n%s", command, SSH_TIMEOUT, result.describe())
                        .isLessThan(UNREACHABLE_LIMIT);
                assertThat(result.output())
                        .as("the error names the host and port\n%s", result.describe())
                        .contains(hosts.address(HOST) + ":22");
            }
        } finally {
            hosts.linkUp(HOST);
        }
        assertStateKeepsTheNameServer();
        Await.until("h1 reachable again", Duration.ofSeconds(15), () -> TestHosts.isListening(hosts.address(HOST), 22));
    }

    @Test
    @Order(3)
    void keyTheHostRejects_failsFastNamingUserHostAndPort() {
        terraform.writeConfig(config(wrongKey, knownHosts));
        try {
            ExecResult plan = terraform.plan();
            assertThat(plan.exitCode())
                    .as("plan with a key the host does not know\n%s", plan.describe())
                    .isEqualTo(1);
            assertThat(plan.took())
                    .as("authentication failures are not retried\n%s", plan.describe())
                    .isLessThan(AUTH_LIMIT);
            assertThat(plan.output()).as(plan.describe()).contains("root@" + hosts.address(HOST) + ":22");
        } finally {
            terraform.writeConfig(config(hosts.privateKey(), knownHosts));
        }
        assertStateKeepsTheNameServer();
    }

    @Test
    @Order(4)
    void hostKeyMissingFromKnownHosts_isRefusedShowingItsFingerprint() {
        terraform.writeConfig(config(hosts.privateKey(), emptyKnownHosts));
        try {
            ExecResult plan = terraform.plan();
            assertThat(plan.exitCode())
                    .as("plan with an empty known_hosts\n%s", plan.describe())
                    .isEqualTo(1);
            assertThat(plan.took()).as(plan.describe()).isLessThan(AUTH_LIMIT);
            assertThat(plan.output())
                    .as("the error shows the key's fingerprint\n%s", plan.describe())
                    .contains("SHA256:")
                    .contains(hosts.address(HOST));
        } finally {
            terraform.writeConfig(config(hosts.privateKey(), knownHosts));
        }
        assertStateKeepsTheNameServer();
        ExecResult plan = terraform.plan();
        assertThat(plan.exitCode())
                .as("with the right known_hosts again, no changes\n%s", plan.describe())
                .isZero();
    }

    @Test
    @Order(5)
    void changedHostKey_isRefused_andTheNameServerIsLeftAlone() {
        int runningBefore = hosts.rocketmqJvms(HOST).size();
        hosts.regenerateHostKey(HOST);
        // A host whose key changed was reinstalled or replaced, and its old connections are gone. (A connection the
        // warm backend opened and verified before stays trusted for as long as it lives: its session keys bind it to
        // the server that proved its identity then.)
        hosts.dropSshSessions(HOST);
        Await.until(
                "h1 reachable after the new host key",
                Duration.ofSeconds(15),
                () -> TestHosts.isListening(hosts.address(HOST), 22));

        ExecResult plan = terraform.plan();
        assertThat(plan.exitCode())
                .as("plan against a host whose key changed\n%s", plan.describe())
                .isEqualTo(1);
        assertThat(plan.took()).as(plan.describe()).isLessThan(AUTH_LIMIT);
        assertThat(plan.output())
                .as("the error shows the new key's fingerprint\n%s", plan.describe())
                .contains("SHA256:")
                .contains(hosts.address(HOST));
        ExecResult apply =
                terraform.run(Terraform.APPLY_TIMEOUT, "apply", "-no-color", "-input=false", "-auto-approve");
        assertThat(apply.exitCode())
                .as("apply against a host whose key changed\n%s", apply.describe())
                .isEqualTo(1);
        assertStateKeepsTheNameServer();
        assertThat(hosts.rocketmqJvms(HOST))
                .as("the name server is left running")
                .hasSize(runningBefore);

        hosts.trustCurrentHostKey(HOST);
        copyKnownHosts();
        ExecResult trusted = terraform.plan();
        assertThat(trusted.exitCode())
                .as("once the new key is trusted, no changes\n%s", trusted.describe())
                .isZero();
    }

    @Test
    @Order(6)
    void destroy_succeedsWhenTheProcessIsAlreadyGone() {
        long pid = terraform.state().resource(NAMESERVER).number("pid");
        hosts.kill9(HOST, pid);
        Await.until("name server pid " + pid + " to die", PROCESS_EXIT, () -> !hosts.isAlive(HOST, pid));

        ExecResult destroy = terraform.destroy();
        assertThat(destroy.exitCode()).as(destroy.describe()).isZero();
        assertThat(terraform.state().addresses()).as("state after destroy").isEmpty();
        assertThat(hosts.rocketmqProcesses(HOST))
                .as("RocketMQ processes left on the host")
                .isEmpty();
        ExecResult pgrep = hosts.ssh(HOST, "pgrep -fa '[r]ocketmq'");
        assertThat(pgrep.exitCode())
                .as("pgrep finds nothing\n%s", pgrep.describe())
                .isEqualTo(1);
        assertThat(TestHosts.isListening(hosts.address(HOST), NAMESERVER_PORT))
                .as("port %d closed", NAMESERVER_PORT)
                .isFalse();
    }

    private void assertStateKeepsTheNameServer() {
        ExecResult list = terraform.run(Terraform.STATE_TIMEOUT, "state", "list");
        assertThat(list.exitCode()).as(list.describe()).isZero();
        assertThat(list.stdout().lines().map(String::strip).toList())
                .as("a failed SSH connection never removes the resource from the state")
                .contains(NAMESERVER);
    }

    private void copyKnownHosts() {
        try {
            Files.copy(hosts.knownHosts(), knownHosts, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void generateKey(Path file) {
        try {
            Process keygen = new ProcessBuilder(
                            "ssh-keygen",
                            "-q",
                            "-t",
                            "ed25519",
                            "-N",
                            "",
                            "-C",
                            "not-authorized",
                            "-f",
                            file.toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(keygen.getInputStream().readAllBytes());
            if (!keygen.waitFor(30, TimeUnit.SECONDS) || keygen.exitValue() != 0) {
                throw new AssertionError("ssh-keygen failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String config(Path privateKey, Path knownHostsFile) {
        Hcl.Block ssh = Hcl.Block.nested("ssh")
                .with("private_key", "file(" + Hcl.string(privateKey.toString()) + ")")
                .withString("known_hosts_file", knownHostsFile.toString())
                .withString("timeout", SSH_TIMEOUT);
        return Hcl.requiredProvider()
                + "\n"
                + Hcl.Block.provider("rocketmq").withBlock(ssh).render()
                + "\n"
                + Hcl.Block.resource("rocketmq_nameserver", "ns")
                        .withString("host", hosts.address(HOST))
                        .withString("install_dir", "/opt/rocketmq")
                        .withString("distribution", Project.runtimeArchive().toString())
                        .with("listen_port", Integer.toString(NAMESERVER_PORT))
                        .withString("jvm_heap", "128m")
                        .with("jvm_options", Hcl.list("-XX:+UseSerialGC"))
                        .render();
    }
}
