package dev.tfrocketmq.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.acceptance.harness.Await;
import dev.tfrocketmq.acceptance.harness.Cluster;
import dev.tfrocketmq.acceptance.harness.Hcl;
import dev.tfrocketmq.acceptance.harness.Messages;
import dev.tfrocketmq.acceptance.harness.Project;
import dev.tfrocketmq.acceptance.harness.StateJson;
import dev.tfrocketmq.acceptance.harness.StopAfterFailedStep;
import dev.tfrocketmq.acceptance.harness.SuiteTeardown;
import dev.tfrocketmq.acceptance.harness.Terraform;
import dev.tfrocketmq.acceptance.harness.WorkDir;
import dev.tfrocketmq.testing.ExecResult;
import dev.tfrocketmq.testing.TestHosts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * A name server and a master broker on h2, reached only through the bastion h1 ({@code bastion_*} in the provider's
 * ssh block). The runner could reach h2 directly, so the test checks h2's sshd log: every login there must come
 * from the bastion's address, none from the runner's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(StopAfterFailedStep.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
final class BastionTest {
    private static final String PREFIX = "accbst";
    private static final String NET = "198.18.12";
    private static final int BASTION = 1;
    private static final int TARGET = 2;
    private static final String NAMESERVER = "rocketmq_nameserver.ns";
    private static final String BROKER = "rocketmq_broker.b";
    private static final String TOPIC = "rocketmq_topic.t";
    private static final String BROKER_NAME = "broker-a";
    private static final String INSTALL_DIR = "/opt/rocketmq";
    private static final int NAMESERVER_PORT = 9876;
    private static final int BROKER_PORT = 10911;
    private static final Pattern ACCEPTED = Pattern.compile("Accepted \\S+ for \\S+ from (\\S+) port");

    private static final Duration REGISTRATION = Duration.ofSeconds(30);
    private static final Duration ROUTE = Duration.ofSeconds(15);
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final Duration STOPPED = Duration.ofSeconds(30);

    private Path workdir;
    private TestHosts hosts;
    private Terraform terraform;
    private String topicName;
    private Cluster cluster;

    @BeforeAll
    void bringUpHostsAndInit() {
        Project.requirePackaged();
        workdir = WorkDir.create("bastion");
        hosts = TestHosts.up(PREFIX, NET, 2, workdir.resolve("hosts"));
        topicName = "acc_bastion_" + Long.toHexString(System.nanoTime());
        terraform = Terraform.in(workdir);
        terraform.writeConfig(config());
        ExecResult init = terraform.init();
        assertThat(init.exitCode()).as(init.describe()).isZero();
    }

    @AfterAll
    void destroyAndTakeHostsDown() {
        SuiteTeardown.run(terraform, hosts, cluster);
    }

    @Test
    @Order(1)
    void apply_deploysOnTheTargetThroughTheBastion() throws IOException {
        ExecResult apply = terraform.apply();
        assertThat(apply.exitCode()).as(apply.describe()).isZero();

        StateJson state = terraform.state();
        String target = hosts.address(TARGET);
        assertThat(state.resource(NAMESERVER).string("address")).isEqualTo(target + ":" + NAMESERVER_PORT);
        assertThat(state.resource(NAMESERVER).string("state")).isEqualTo("running");
        assertThat(state.resource(BROKER).string("address")).isEqualTo(target + ":" + BROKER_PORT);
        assertThat(state.resource(BROKER).string("broker_ip1")).isEqualTo(target);
        assertThat(state.resource(BROKER).string("state")).isEqualTo("running");

        assertThat(hosts.rocketmqJvms(TARGET))
                .as("name server and broker JVMs on the target")
                .hasSize(2);
        assertThat(hosts.rocketmqProcesses(BASTION))
                .as("nothing RocketMQ runs on the bastion")
                .isEmpty();
        assertThat(hosts.fs(BASTION).resolve("opt/rocketmq"))
                .as("nothing installed on the bastion")
                .doesNotExist();
        assertThat(hosts.fs(TARGET).resolve("opt/rocketmq/dist"))
                .as("distribution on the target")
                .isDirectory();

        assertLoginsToTargetOnlyFromBastion();
    }

    @Test
    @Order(2)
    void messages_roundTripThroughTheTargetsBroker() {
        cluster().awaitMaster(BROKER_NAME, hosts.address(TARGET) + ":" + BROKER_PORT, REGISTRATION);
        cluster().awaitQueues(topicName, 4, 4, ROUTE);
        List<String> sent = Messages.send(nameServer(), topicName, 20);
        Set<String> received = Messages.receive(nameServer(), topicName, sent, DELIVERY);
        assertThat(received).as("messages through the broker on the target").containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    @Order(3)
    void replan_readsTheTargetThroughTheBastionAndFindsNoChanges() throws IOException {
        ExecResult plan = terraform.plan();
        assertThat(plan.exitCode()).as("no changes\n%s", plan.describe()).isZero();
        assertLoginsToTargetOnlyFromBastion();
    }

    @Test
    @Order(4)
    void destroy_stopsEverythingOnTheTarget() throws IOException {
        ExecResult destroy = terraform.destroy();
        assertThat(destroy.exitCode()).as(destroy.describe()).isZero();
        assertThat(terraform.state().addresses()).as("state after destroy").isEmpty();
        Await.until("no RocketMQ process on the target", STOPPED, () -> {
            if (!hosts.rocketmqProcesses(TARGET).isEmpty()) {
                throw new IllegalStateException("still running: " + hosts.rocketmqProcesses(TARGET));
            }
            return true;
        });
        for (int port : List.of(NAMESERVER_PORT, BROKER_PORT - 2, BROKER_PORT - 1, BROKER_PORT, BROKER_PORT + 1)) {
            Await.until(
                    hosts.address(TARGET) + ":" + port + " closed",
                    STOPPED,
                    () -> !TestHosts.isListening(hosts.address(TARGET), port));
        }
        assertLoginsToTargetOnlyFromBastion();
    }

    /**
     * Every login h2's sshd accepted came from the bastion. Skipped (with a note) when the host script keeps no sshd
     * log. The test itself never logs in to h2: it looks at h2's processes through its network namespace.
     */
    private void assertLoginsToTargetOnlyFromBastion() throws IOException {
        Path log = hosts.sshdLog(TARGET);
        assertThat(log)
                .as("testhosts.sh keeps each host's sshd log; without it the bastion route is unproven")
                .isRegularFile();
        Map<String, Long> from = new TreeMap<>();
        Matcher m = ACCEPTED.matcher(Files.readString(log, StandardCharsets.UTF_8));
        while (m.find()) {
            from.merge(m.group(1), 1L, Long::sum);
        }
        assertThat(from)
                .as("logins accepted by the target's sshd (%s), by source address", log)
                .containsKey(hosts.address(BASTION));
        assertThat(from.keySet())
                .as("logins accepted by the target's sshd (%s), by source address", log)
                .containsOnly(hosts.address(BASTION));
    }

    private Cluster cluster() {
        if (cluster == null) {
            cluster = Cluster.connect(nameServer());
        }
        return cluster;
    }

    private String nameServer() {
        return hosts.address(TARGET) + ":" + NAMESERVER_PORT;
    }

    private String config() {
        String key = "file(" + Hcl.string(hosts.privateKey().toString()) + ")";
        String distribution = Project.runtimeArchive().toString();
        Hcl.Block ssh = Hcl.Block.nested("ssh")
                .with("private_key", key)
                .withString("known_hosts_file", hosts.knownHosts().toString())
                .withString("timeout", "10s")
                .withString("bastion_host", hosts.address(BASTION))
                .with("bastion_port", "22")
                .withString("bastion_user", "root")
                .with("bastion_private_key", key)
                .withString("bastion_host_key", hosts.hostKey(BASTION));
        return Hcl.requiredProvider()
                + "\n"
                + Hcl.Block.provider("rocketmq").withBlock(ssh).render()
                + "\n"
                + Hcl.Block.resource("rocketmq_nameserver", "ns")
                        .withString("host", hosts.address(TARGET))
                        .withString("install_dir", INSTALL_DIR)
                        .withString("distribution", distribution)
                        .with("listen_port", Integer.toString(NAMESERVER_PORT))
                        .withString("jvm_heap", "128m")
                        .with("jvm_options", Hcl.list("-XX:+UseSerialGC"))
                        .render()
                + "\n"
                + Hcl.Block.resource("rocketmq_broker", "b")
                        .withString("host", hosts.address(TARGET))
                        .withString("install_dir", INSTALL_DIR)
                        .withString("distribution", distribution)
                        .withString("broker_name", BROKER_NAME)
                        .with("name_servers", "[rocketmq_nameserver.ns.address]")
                        .with("listen_port", Integer.toString(BROKER_PORT))
                        .withString("jvm_heap", "256m")
                        .with("jvm_options", Hcl.list("-XX:+UseSerialGC"))
                        .with(
                                "properties",
                                Hcl.map(Map.of(
                                        "mappedFileSizeCommitLog", "67108864",
                                        "mappedFileSizeConsumeQueue", "600000")))
                        .render()
                + "\n"
                + Hcl.Block.resource("rocketmq_topic", "t")
                        .withString("name", topicName)
                        .with("name_servers", "[rocketmq_nameserver.ns.address]")
                        .with("read_queue_nums", "4")
                        .with("write_queue_nums", "4")
                        .with("depends_on", "[rocketmq_broker.b]")
                        .render();
    }
}
