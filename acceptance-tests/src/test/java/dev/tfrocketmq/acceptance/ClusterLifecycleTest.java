package dev.tfrocketmq.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.acceptance.harness.Await;
import dev.tfrocketmq.acceptance.harness.Cluster;
import dev.tfrocketmq.acceptance.harness.FreePorts;
import dev.tfrocketmq.acceptance.harness.Hcl;
import dev.tfrocketmq.acceptance.harness.Messages;
import dev.tfrocketmq.acceptance.harness.PlanJson;
import dev.tfrocketmq.acceptance.harness.Processes;
import dev.tfrocketmq.acceptance.harness.Project;
import dev.tfrocketmq.acceptance.harness.StateJson;
import dev.tfrocketmq.acceptance.harness.StopAfterFailedStep;
import dev.tfrocketmq.acceptance.harness.Terraform;
import dev.tfrocketmq.acceptance.harness.WorkDir;
import dev.tfrocketmq.testing.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.common.TopicConfig;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One name server, one master broker and one topic, taken through their life in order: create, re-plan, change in
 * place, import, drift, crash and restart, heap change, destroy. The steps share one cluster; a failed step skips
 * the rest, and the cluster is torn down whatever happens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(StopAfterFailedStep.class)
@Timeout(value = 12, unit = TimeUnit.MINUTES)
final class ClusterLifecycleTest {
    /**
     * The steps every Terraform-compatible CLI must get through (create, no-op plan, update, import, destroy):
     * {@code make test-tofu} runs them under OpenTofu.
     */
    static final String LIFECYCLE = "lifecycle";

    private static final String NAMESERVER = "rocketmq_nameserver.ns";
    private static final String BROKER = "rocketmq_broker.b";
    private static final String TOPIC = "rocketmq_topic.t";
    private static final String BROKER_NAME = "broker-a";
    private static final String CLUSTER_NAME = "DefaultCluster";
    private static final int MESSAGE_COUNT = 20;

    private static final Duration REGISTRATION = Duration.ofSeconds(5);
    private static final Duration REREGISTRATION = Duration.ofSeconds(30);
    private static final Duration ROUTE = Duration.ofSeconds(5);
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final Duration PROCESS_EXIT = Duration.ofSeconds(10);
    private static final Duration PORT_RELEASE = Duration.ofSeconds(30);

    private Path workdir;
    private Path installDir;
    private Terraform terraform;
    private int nameServerPort;
    private int brokerPort;
    private String nameServer;
    private String brokerAddress;
    private String topicName;
    private Cluster cluster;

    private String topicId;

    @BeforeAll
    void createWorkdirAndInit() {
        Project.requirePackaged();
        workdir = WorkDir.create("cluster-lifecycle");
        installDir = workdir.resolve("rmq");
        int base = FreePorts.block(12);
        nameServerPort = base;
        brokerPort = base + 10;
        nameServer = "127.0.0.1:" + nameServerPort;
        brokerAddress = "127.0.0.1:" + brokerPort;
        topicName = "acc_lifecycle_" + Long.toHexString(System.nanoTime());
        terraform = Terraform.in(workdir);
        terraform.writeConfig(config(4, "256m"));
        ExecResult init = terraform.init();
        assertThat(init.exitCode()).as(init.describe()).isZero();
    }

    @AfterAll
    void destroyAndKillLeftovers() {
        try {
            if (terraform != null) {
                ExecResult destroy = terraform.destroy();
                if (!destroy.succeeded()) {
                    System.err.println("teardown: " + destroy.describe());
                }
            }
        } finally {
            try {
                if (workdir != null) {
                    List<Processes.Info> killed = Processes.killAllFrom(workdir);
                    if (!killed.isEmpty()) {
                        System.err.println("teardown: killed leftover processes " + killed);
                    }
                }
            } finally {
                if (cluster != null) {
                    cluster.close();
                }
            }
        }
    }

    @Test
    @Order(1)
    @Tag(LIFECYCLE)
    void apply_createsNameServerBrokerAndTopic() throws Exception {
        ExecResult apply = terraform.apply();
        assertThat(apply.exitCode()).as(apply.describe()).isZero();

        StateJson state = terraform.state();
        StateJson.Resource ns = state.resource(NAMESERVER);
        StateJson.Resource broker = state.resource(BROKER);
        StateJson.Resource topic = state.resource(TOPIC);
        String sha256 = sha256(Project.runtimeArchive());

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(ns.string("address")).as("name server address").isEqualTo(nameServer);
        soft.assertThat(ns.string("state")).as("name server state").isEqualTo("running");
        soft.assertThat(ns.string("jvm_heap")).as("name server default heap").isEqualTo("256m");
        soft.assertThat(ns.string("home_dir"))
                .as("name server home_dir")
                .isEqualTo(installDir.resolve("nameserver-" + nameServerPort).toString());
        soft.assertThat(ns.string("distribution_sha256"))
                .as("name server distribution_sha256")
                .isEqualTo(sha256);
        soft.assertThat(broker.string("address")).as("broker address").isEqualTo(brokerAddress);
        soft.assertThat(broker.string("state")).as("broker state").isEqualTo("running");
        soft.assertThat(broker.string("home_dir"))
                .as("broker home_dir")
                .isEqualTo(installDir.resolve("broker-" + brokerPort).toString());
        soft.assertThat(broker.string("cluster_name"))
                .as("broker default cluster_name")
                .isEqualTo(CLUSTER_NAME);
        soft.assertThat(broker.number("broker_id"))
                .as("broker default broker_id")
                .isZero();
        soft.assertThat(broker.string("broker_role"))
                .as("broker default broker_role")
                .isEqualTo("ASYNC_MASTER");
        soft.assertThat(broker.string("flush_disk_type"))
                .as("broker default flush_disk_type")
                .isEqualTo("ASYNC_FLUSH");
        soft.assertThat(broker.string("broker_ip1"))
                .as("broker default broker_ip1")
                .isEqualTo("127.0.0.1");
        soft.assertThat(broker.string("store_path_root_dir"))
                .as("broker default store_path_root_dir")
                .isEqualTo(installDir.resolve("broker-" + brokerPort + "/store").toString());
        soft.assertThat(topic.string("id")).as("topic id").isEqualTo(CLUSTER_NAME + "/" + topicName);
        soft.assertThat(topic.number("read_queue_nums"))
                .as("topic read_queue_nums")
                .isEqualTo(4);
        soft.assertThat(topic.number("write_queue_nums"))
                .as("topic write_queue_nums")
                .isEqualTo(4);
        soft.assertThat(topic.number("perm")).as("topic default perm").isEqualTo(6);
        soft.assertThat(topic.bool("order")).as("topic default order").isFalse();
        soft.assertThat(installDir.resolve("dist/" + sha256))
                .as("distribution unpacked by content hash")
                .isDirectory();
        soft.assertAll();

        long nsPid = ns.number("pid");
        assertThat(Processes.isAlive(nsPid))
                .as("name server pid %d is alive", nsPid)
                .isTrue();
        assertThat(Processes.cmdline(nsPid))
                .as("name server pid %d runs from its home_dir", nsPid)
                .hasValueSatisfying(cmd -> assertThat(cmd).contains(ns.string("home_dir")));
        assertThat(FreePorts.isListening(nameServerPort))
                .as("name server listens on %d", nameServerPort)
                .isTrue();
        long brokerPid = broker.number("pid");
        assertThat(Processes.isAlive(brokerPid))
                .as("broker pid %d is alive", brokerPid)
                .isTrue();
        assertThat(FreePorts.isListening(brokerPort))
                .as("broker listens on %d", brokerPort)
                .isTrue();

        cluster().awaitMaster(BROKER_NAME, brokerAddress, REGISTRATION);
        cluster().awaitQueues(topicName, 4, 4, ROUTE);
        topicId = topic.string("id");
    }

    @Test
    @Order(2)
    @Tag(LIFECYCLE)
    void plan_reportsNoChangesRightAfterApply() {
        ExecResult plan = terraform.plan();
        assertThat(plan.exitCode())
                .as("a second plan should say \"No changes\"\n%s", plan.describe())
                .isZero();
    }

    @Test
    @Order(3)
    @Tag(LIFECYCLE)
    void topic_changesQueueNumbersInPlace() throws Exception {
        terraform.writeConfig(config(8, "256m"));
        PlanJson plan = terraform.planJson();
        assertThat(plan.actions(TOPIC)).as(plan.describe()).containsExactly("update");
        assertThat(plan.actions(NAMESERVER)).as(plan.describe()).containsExactly("no-op");
        assertThat(plan.actions(BROKER)).as(plan.describe()).containsExactly("no-op");
        assertThat(plan.before(TOPIC, "read_queue_nums").getAsInt())
                .as(plan.describe())
                .isEqualTo(4);
        assertThat(plan.after(TOPIC, "read_queue_nums").getAsInt())
                .as(plan.describe())
                .isEqualTo(8);

        ExecResult apply = terraform.apply();
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        assertThat(terraform.state().resource(TOPIC).string("id"))
                .as("the topic keeps its id")
                .isEqualTo(topicId);
        cluster().awaitQueues(topicName, 8, 8, ROUTE);
        String master = cluster().masterAddress(BROKER_NAME).orElseThrow();
        TopicConfig onBroker = cluster().topicConfig(master, topicName);
        assertThat(onBroker.getPerm())
                .as("perm survives the queue change on the broker: %s", onBroker)
                .isEqualTo(6);

        ExecResult again = terraform.plan();
        assertThat(again.exitCode())
                .as("no changes after the update\n%s", again.describe())
                .isZero();
    }

    @Test
    @Order(4)
    @Tag(LIFECYCLE)
    void topicNameServerAndBroker_importByTheirIds() {
        ExecResult rm = terraform.stateRm(TOPIC);
        assertThat(rm.exitCode()).as(rm.describe()).isZero();
        assertThat(terraform.state().find(TOPIC))
                .as("topic removed from the state")
                .isEmpty();

        ExecResult imported = terraform.importResource(TOPIC, CLUSTER_NAME + "/" + topicName);
        assertThat(imported.exitCode()).as(imported.describe()).isZero();
        StateJson.Resource topic = terraform.state().resource(TOPIC);
        assertThat(topic.string("id")).isEqualTo(topicId);
        assertThat(topic.string("name")).isEqualTo(topicName);
        assertThat(topic.number("read_queue_nums")).isEqualTo(8);
        assertThat(topic.number("write_queue_nums")).isEqualTo(8);

        ExecResult plan = terraform.plan();
        assertThat(plan.exitCode())
                .as("the imported topic matches its configuration\n%s", plan.describe())
                .isZero();

        for (String address : List.of(BROKER, NAMESERVER)) {
            String id = terraform.state().resource(address).string("id");
            long pid = terraform.state().resource(address).number("pid");
            ExecResult removed = terraform.stateRm(address);
            assertThat(removed.exitCode()).as(removed.describe()).isZero();
            ExecResult adopted = terraform.importResource(address, id);
            assertThat(adopted.exitCode()).as(adopted.describe()).isZero();
            StateJson.Resource resource = terraform.state().resource(address);
            assertThat(resource.string("id")).isEqualTo(id);
            assertThat(resource.number("pid"))
                    .as("import adopts the running process of %s", address)
                    .isEqualTo(pid);
        }
        ExecResult replan = terraform.plan();
        assertThat(replan.exitCode())
                .as("imported name server and broker match their configuration\n%s", replan.describe())
                .isZero();
    }

    @Test
    @Order(5)
    void topic_deletedOutsideTerraformIsCreatedAgain() throws Exception {
        cluster().deleteTopic(topicName);
        cluster().awaitNoRoute(topicName, ROUTE);

        PlanJson plan = terraform.planJson();
        assertThat(plan.actions(TOPIC))
                .as("a topic deleted behind Terraform's back is reported gone\n%s", plan)
                .containsExactly("create");
        assertThat(plan.addressesWith("delete")).as(plan.describe()).isEmpty();

        ExecResult apply = terraform.apply();
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        cluster().awaitQueues(topicName, 8, 8, ROUTE);
    }

    @Test
    @Order(6)
    void broker_killedProcessIsStartedAgainWithItsMessages() throws Exception {
        List<String> sentBodies = Messages.send(nameServer, topicName, MESSAGE_COUNT);
        long oldPid = terraform.state().resource(BROKER).number("pid");
        assertThat(Processes.cmdline(oldPid))
                .as("broker pid %d from the state belongs to this test", oldPid)
                .hasValueSatisfying(cmd -> assertThat(cmd).contains(workdir.toString()));
        Processes.kill9(oldPid);
        Await.until("broker pid " + oldPid + " to die", PROCESS_EXIT, () -> !Processes.isAlive(oldPid));

        PlanJson plan = terraform.planJson();
        assertThat(plan.actions(BROKER))
                .as("a dead broker is started in place\n%s", plan)
                .containsExactly("update");
        assertThat(plan.before(BROKER, "state").getAsString())
                .as("refreshed state of the killed broker\n%s", plan)
                .isEqualTo("stopped");
        assertThat(plan.after(BROKER, "state").getAsString())
                .as("planned state of the killed broker\n%s", plan)
                .isEqualTo("running");
        assertThat(plan.addressesWith("delete"))
                .as("nothing is replaced or deleted\n%s", plan)
                .isEmpty();

        ExecResult apply = terraform.apply();
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        StateJson.Resource broker = terraform.state().resource(BROKER);
        assertThat(broker.string("state")).isEqualTo("running");
        long newPid = broker.number("pid");
        assertThat(newPid).as("a new broker process").isNotEqualTo(oldPid);
        assertThat(Processes.isAlive(newPid))
                .as("broker pid %d is alive", newPid)
                .isTrue();
        cluster().awaitMaster(BROKER_NAME, brokerAddress, REREGISTRATION);

        Set<String> received = Messages.receive(nameServer, topicName, sentBodies, DELIVERY);
        assertThat(received)
                .as("messages sent before the crash are still there after the restart")
                .containsExactlyInAnyOrderElementsOf(sentBodies);
    }

    @Test
    @Order(7)
    void broker_changesHeapInPlaceByRestarting() throws Exception {
        long oldPid = terraform.state().resource(BROKER).number("pid");
        terraform.writeConfig(config(8, "320m"));

        PlanJson plan = terraform.planJson();
        assertThat(plan.actions(BROKER))
                .as("a heap change restarts the broker in place\n%s", plan)
                .containsExactly("update");
        assertThat(plan.replacePaths(BROKER)).as(plan.describe()).isEmpty();
        assertThat(plan.addressesWith("delete")).as(plan.describe()).isEmpty();

        ExecResult apply = terraform.apply();
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        StateJson.Resource broker = terraform.state().resource(BROKER);
        assertThat(broker.string("jvm_heap")).isEqualTo("320m");
        long newPid = broker.number("pid");
        assertThat(newPid).as("the broker was restarted").isNotEqualTo(oldPid);
        assertThat(Processes.isAlive(oldPid))
                .as("the old broker pid %d has exited", oldPid)
                .isFalse();
        assertThat(Processes.isAlive(newPid))
                .as("broker pid %d is alive", newPid)
                .isTrue();
        Path brokerHome = Path.of(broker.string("home_dir"));
        boolean heapOnCommandLine = Processes.runningFrom(workdir).stream()
                .anyMatch(p -> p.cmdline().contains(brokerHome.toString())
                        && p.cmdline().contains("-Xmx320m"));
        boolean heapInLaunchScript = Files.isRegularFile(brokerHome.resolve("launch.sh"))
                && Files.readString(brokerHome.resolve("launch.sh")).contains("320m");
        assertThat(heapOnCommandLine || heapInLaunchScript)
                .as(
                        "the new heap reaches the broker's command line or launch.sh; processes: %s",
                        Processes.runningFrom(workdir))
                .isTrue();
        cluster().awaitMaster(BROKER_NAME, brokerAddress, REREGISTRATION);

        ExecResult again = terraform.plan();
        assertThat(again.exitCode())
                .as("no changes after the restart\n%s", again.describe())
                .isZero();
    }

    @Test
    @Order(8)
    @Tag(LIFECYCLE)
    void destroy_stopsEverythingAndFreesThePorts() {
        Path store = Path.of(terraform.state().resource(BROKER).string("store_path_root_dir"));

        ExecResult destroy = terraform.destroy();
        assertThat(destroy.exitCode()).as(destroy.describe()).isZero();
        assertThat(terraform.state().addresses()).as("state after destroy").isEmpty();

        Await.until("no process running from " + workdir, PROCESS_EXIT, () -> {
            List<Processes.Info> left = Processes.runningFrom(workdir);
            if (!left.isEmpty()) {
                throw new IllegalStateException("still running: " + left);
            }
            return true;
        });
        FreePorts.awaitFree(PORT_RELEASE, nameServerPort);
        FreePorts.awaitFree(PORT_RELEASE, FreePorts.brokerPorts(brokerPort));
        assertThat(store)
                .as("the broker store is kept when delete_data_on_destroy is false")
                .isDirectory();
    }

    private Cluster cluster() {
        if (cluster == null) {
            cluster = Cluster.connect(nameServer);
        }
        return cluster;
    }

    private String config(int queues, String brokerHeap) {
        String distribution = Project.runtimeArchive().toString();
        return Hcl.requiredProvider()
                + "\n"
                + Hcl.Block.provider("rocketmq")
                        .with("name_servers", Hcl.list(nameServer))
                        .render()
                + "\n"
                + Hcl.Block.resource("rocketmq_nameserver", "ns")
                        .withString("install_dir", installDir.toString())
                        .with("listen_port", Integer.toString(nameServerPort))
                        .withString("distribution", distribution)
                        .render()
                + "\n"
                + Hcl.Block.resource("rocketmq_broker", "b")
                        .withString("install_dir", installDir.toString())
                        .withString("distribution", distribution)
                        .withString("broker_name", BROKER_NAME)
                        .with("name_servers", "[rocketmq_nameserver.ns.address]")
                        .with("listen_port", Integer.toString(brokerPort))
                        .withString("jvm_heap", brokerHeap)
                        .render()
                + "\n"
                + Hcl.Block.resource("rocketmq_topic", "t")
                        .withString("name", topicName)
                        .with("read_queue_nums", Integer.toString(queues))
                        .with("write_queue_nums", Integer.toString(queues))
                        .with("depends_on", "[rocketmq_broker.b]")
                        .render();
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new IllegalStateException("cannot hash " + file, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
