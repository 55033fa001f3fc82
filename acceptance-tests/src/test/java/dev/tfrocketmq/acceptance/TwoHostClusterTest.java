package dev.tfrocketmq.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tfrocketmq.acceptance.harness.Await;
import dev.tfrocketmq.acceptance.harness.Cluster;
import dev.tfrocketmq.acceptance.harness.Examples;
import dev.tfrocketmq.acceptance.harness.Hcl;
import dev.tfrocketmq.acceptance.harness.Messages;
import dev.tfrocketmq.acceptance.harness.PlanJson;
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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.route.QueueData;
import org.assertj.core.api.SoftAssertions;
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
 * The example in {@code examples/cluster} (and so the module {@code examples/modules/rocketmq-cluster}) applied to
 * two real SSH hosts that run OpenSSH's stock session limits: two name servers, broker-a and broker-b each with a
 * SYNC_MASTER on one host and its SLAVE on the other, a topic, and {@value #LOAD_TOPICS} more topics, created with
 * {@code -parallelism=20}. One cluster is taken through ordered steps: create, registration in both name servers,
 * messaging and replication, the data sources, a no-op re-plan without re-upload, a killed broker started again, a
 * heap change in place, a rename planned as a replacement, a saved plan applied across an sshd restart, destroy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(StopAfterFailedStep.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
final class TwoHostClusterTest {
    private static final String PREFIX = "acc2h";
    private static final String NET = "198.18.11";
    private static final String CLUSTER_NAME = "DefaultCluster";
    private static final String INSTALL_DIR = "/opt/rocketmq";
    private static final int NAMESERVER_PORT = 9876;
    private static final int MASTER_PORT = 10911;
    private static final int SLAVE_PORT = 10811;
    private static final List<String> GROUPS = List.of("broker-a", "broker-b");
    private static final String TOPIC = "rocketmq_topic.orders";
    private static final String UPLOADED = "distribution uploaded";
    private static final int MESSAGE_COUNT = 100;
    private static final int LOAD_TOPICS = 30;
    private static final String LOAD_TOPIC = "rocketmq_topic.load";
    /** What OpenSSH logs when it refuses a session beyond MaxSessions. */
    private static final String SESSION_REFUSED = "no more sessions";

    private static final Duration REGISTRATION = Duration.ofSeconds(30);
    private static final Duration ROUTE = Duration.ofSeconds(15);
    private static final Duration REPLICATION = Duration.ofSeconds(30);
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final Duration PROCESS_EXIT = Duration.ofSeconds(20);
    private static final Duration PORT_RELEASE = Duration.ofSeconds(30);

    private Path workdir;
    private TestHosts hosts;
    private Terraform terraform;
    private String topicName;
    private final Map<String, String> vars = new LinkedHashMap<>();
    private final Map<Integer, Cluster> byNameServer = new TreeMap<>();
    private Cluster cluster;
    private List<String> sentBodies = List.of();

    @BeforeAll
    void bringUpHostsAndInit() throws IOException {
        Project.requirePackaged();
        workdir = WorkDir.create("two-host-cluster");
        hosts = TestHosts.up(PREFIX, NET, 2, workdir.resolve("hosts"));
        // examples/cluster names every module, even those it creates nothing of (app_enabled = false)
        terraform = Terraform.in(Examples.copy("cluster", workdir));
        topicName = "acc_orders_" + Long.toHexString(System.nanoTime());
        Files.writeString(
                workdir.resolve("cluster/load-topics.tf"),
                "resource \"rocketmq_topic\" \"load\" {\n"
                        + "  count            = " + LOAD_TOPICS + "\n"
                        + "  name             = \"${var.topic_name}_${count.index}\"\n"
                        + "  cluster_name     = module.cluster.cluster_name\n"
                        + "  read_queue_nums  = 4\n"
                        + "  write_queue_nums = 4\n"
                        + "  depends_on       = [module.cluster]\n"
                        + "}\n",
                StandardCharsets.UTF_8);

        vars.put("host_addresses", Hcl.list(hosts.address(1), hosts.address(2)));
        vars.put("private_key_file", Hcl.string(hosts.privateKey().toString()));
        vars.put("known_hosts_file", Hcl.string(hosts.knownHosts().toString()));
        vars.put("distribution", Hcl.string(Project.runtimeArchive().toString()));
        vars.put("install_dir", Hcl.string(INSTALL_DIR));
        vars.put("nameserver_heap", Hcl.string("128m"));
        vars.put("broker_heap", Hcl.string("256m"));
        vars.put("broker_heap_overrides", "{}");
        vars.put("broker_names", Hcl.list(GROUPS));
        vars.put("jvm_options", Hcl.list("-XX:+UseSerialGC"));
        vars.put(
                "broker_properties",
                Hcl.map(Map.of(
                        "mappedFileSizeCommitLog", "67108864",
                        "mappedFileSizeConsumeQueue", "600000")));
        vars.put("topic_name", Hcl.string(topicName));
        vars.put("topic_queue_nums", "8");
        writeVars();

        ExecResult init = terraform.init();
        assertThat(init.exitCode()).as(init.describe()).isZero();
    }

    @AfterAll
    void destroyAndTakeHostsDown() {
        List<AutoCloseable> clients = new ArrayList<>(byNameServer.values());
        clients.add(cluster);
        SuiteTeardown.run(terraform, hosts, clients.toArray(AutoCloseable[]::new));
    }

    @Test
    @Order(1)
    void apply_startsTwoNameServersAndFourBrokersAndUploadsOncePerHost() throws Exception {
        Path log = workdir.resolve("apply-1.provider.log");
        ExecResult apply = terraform.run(
                providerLog(log),
                Terraform.APPLY_TIMEOUT,
                "apply",
                "-no-color",
                "-input=false",
                "-auto-approve",
                "-parallelism=20");
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        for (int i = 1; i <= 2; i++) {
            assertThat(Files.readString(hosts.hostDir(i).resolve("sshd_config")))
                    .as("h%d runs sshd's stock session limits", i)
                    .doesNotContain("MaxSessions")
                    .doesNotContain("MaxStartups");
            assertThat(Files.readString(hosts.sshdLog(i)))
                    .as("sessions h%d's sshd refused", i)
                    .doesNotContain(SESSION_REFUSED);
        }

        String sha256 = sha256(Project.runtimeArchive());
        List<ProviderLog.Entry> uploads = ProviderLog.entries(log, UPLOADED);
        Map<String, Long> perHost = uploads.stream()
                .collect(Collectors.groupingBy(e -> hostOf(e.field("host")), TreeMap::new, Collectors.counting()));
        assertThat(perHost)
                .as("one \"%s\" log entry per host in %s: %s", UPLOADED, log, uploads)
                .isEqualTo(Map.of(hosts.address(1), 1L, hosts.address(2), 1L));
        for (ProviderLog.Entry upload : uploads) {
            assertThat(upload.field("sha256"))
                    .as("uploaded archive's sha256: %s", upload)
                    .isEqualTo(sha256);
            assertThat(upload.field("bytes"))
                    .as("uploaded archive's size: %s", upload)
                    .isEqualTo(Long.toString(Files.size(Project.runtimeArchive())));
        }

        StateJson state = terraform.state();
        SoftAssertions soft = new SoftAssertions();
        for (int i = 1; i <= 2; i++) {
            String address = hosts.address(i);
            StateJson.Resource ns = state.resource(nameserver(i));
            String nsHome = INSTALL_DIR + "/nameserver-" + NAMESERVER_PORT;
            soft.assertThat(ns.string("host")).as("%s host", ns.address()).isEqualTo(address);
            soft.assertThat(ns.string("address")).as("%s address", ns.address()).isEqualTo(nameServer(i));
            soft.assertThat(ns.string("state")).as("%s state", ns.address()).isEqualTo("running");
            soft.assertThat(ns.string("home_dir"))
                    .as("%s home_dir", ns.address())
                    .isEqualTo(nsHome);
            soft.assertThat(ns.string("id")).as("%s id", ns.address()).isEqualTo(address + ":" + nsHome);

            StateJson.Resource master = state.resource(master(i));
            soft.assertThat(master.string("address"))
                    .as("%s address", master.address())
                    .isEqualTo(address + ":" + MASTER_PORT);
            soft.assertThat(master.string("broker_name"))
                    .as("%s broker_name", master.address())
                    .isEqualTo(masterGroup(i));
            soft.assertThat(master.number("broker_id"))
                    .as("%s broker_id", master.address())
                    .isZero();
            soft.assertThat(master.string("broker_role"))
                    .as("%s role", master.address())
                    .isEqualTo("SYNC_MASTER");
            soft.assertThat(master.string("broker_ip1"))
                    .as("%s broker_ip1", master.address())
                    .isEqualTo(address);
            soft.assertThat(master.string("state"))
                    .as("%s state", master.address())
                    .isEqualTo("running");
            soft.assertThat(master.string("home_dir"))
                    .as("%s home_dir", master.address())
                    .isEqualTo(INSTALL_DIR + "/broker-" + MASTER_PORT);
            soft.assertThat(master.strings("name_servers"))
                    .as("%s name_servers", master.address())
                    .containsExactly(nameServer(1), nameServer(2));

            StateJson.Resource slave = state.resource(slave(i));
            soft.assertThat(slave.string("address"))
                    .as("%s address", slave.address())
                    .isEqualTo(address + ":" + SLAVE_PORT);
            soft.assertThat(slave.string("broker_name"))
                    .as("%s broker_name", slave.address())
                    .isEqualTo(slaveGroup(i));
            soft.assertThat(slave.number("broker_id"))
                    .as("%s broker_id", slave.address())
                    .isEqualTo(1);
            soft.assertThat(slave.string("broker_role"))
                    .as("%s role", slave.address())
                    .isEqualTo("SLAVE");
            soft.assertThat(slave.string("broker_ip1"))
                    .as("%s broker_ip1", slave.address())
                    .isEqualTo(address);
            soft.assertThat(slave.string("state"))
                    .as("%s state", slave.address())
                    .isEqualTo("running");

            soft.assertThat(hosts.fs(i).resolve("opt/rocketmq/dist/" + sha256))
                    .as("distribution unpacked by content hash on h%d", i)
                    .isDirectory();
        }
        soft.assertThat(state.resource(TOPIC).number("read_queue_nums"))
                .as("topic read queues")
                .isEqualTo(8);
        for (int i = 0; i < LOAD_TOPICS; i++) {
            soft.assertThat(state.resource(LOAD_TOPIC + "[" + i + "]").string("name"))
                    .as("load topic %d", i)
                    .isEqualTo(topicName + "_" + i);
        }
        soft.assertAll();

        for (int i = 1; i <= 2; i++) {
            for (String resource : List.of(nameserver(i), master(i), slave(i))) {
                StateJson.Resource r = state.resource(resource);
                long pid = r.number("pid");
                assertThat(hosts.cmdline(i, pid))
                        .as("%s pid %d on h%d runs from its home_dir", resource, pid, i)
                        .contains(r.string("home_dir"));
            }
            assertThat(hosts.rocketmqJvms(i)).as("RocketMQ JVMs in h%d", i).hasSize(3);
        }

        ExecResult output = terraform.run(Terraform.STATE_TIMEOUT, "output", "-no-color", "-json");
        assertThat(output.exitCode()).as(output.describe()).isZero();
        JsonObject outputs = JsonParser.parseString(output.stdout()).getAsJsonObject();
        assertThat(outputs.getAsJsonObject("name_servers").get("value").getAsString())
                .as("output name_servers")
                .isEqualTo(nameServers());
        Map<String, String> brokers = new TreeMap<>();
        outputs.getAsJsonObject("brokers")
                .getAsJsonObject("value")
                .entrySet()
                .forEach(e -> brokers.put(e.getKey(), e.getValue().getAsString()));
        assertThat(brokers)
                .as("output brokers")
                .isEqualTo(Map.of(
                        "broker-a-master", hosts.address(1) + ":" + MASTER_PORT,
                        "broker-a-slave", hosts.address(2) + ":" + SLAVE_PORT,
                        "broker-b-master", hosts.address(2) + ":" + MASTER_PORT,
                        "broker-b-slave", hosts.address(1) + ":" + SLAVE_PORT));
    }

    @Test
    @Order(2)
    void bothNameServers_listAllFourBrokersOfTheCluster() {
        Map<String, Map<Long, String>> expected = expectedBrokers();
        for (int i = 1; i <= 2; i++) {
            Cluster ns = byNameServer.computeIfAbsent(i, n -> Cluster.connect(nameServer(n)));
            Await.until("all four brokers in name server " + nameServer(i), REGISTRATION, () -> {
                Map<String, Map<Long, String>> registered = ns.brokerAddresses();
                if (!registered.equals(expected)) {
                    throw new IllegalStateException("registered: " + registered + ", expected: " + expected);
                }
                Set<String> inCluster = ns.brokerNamesIn(CLUSTER_NAME);
                if (!inCluster.equals(Set.copyOf(GROUPS))) {
                    throw new IllegalStateException(CLUSTER_NAME + " lists " + inCluster);
                }
                return true;
            });
        }
    }

    @Test
    @Order(3)
    void topic_routesToBothMasters_messagesRoundTrip_slavesCatchUp() throws Exception {
        List<QueueData> queues = cluster().awaitQueues(topicName, 8, 8, ROUTE);
        assertThat(queues.stream().map(QueueData::getBrokerName).collect(Collectors.toSet()))
                .as("queue data of %s: %s", topicName, queues)
                .isEqualTo(Set.copyOf(GROUPS));

        awaitSendOkOnEveryMaster();
        sentBodies = Messages.send(nameServers(), topicName, MESSAGE_COUNT);
        Set<String> received = Messages.receive(nameServers(), topicName, sentBodies, DELIVERY);
        assertThat(received)
                .as("every message sent through the cluster is consumed")
                .containsExactlyInAnyOrderElementsOf(sentBodies);

        for (int i = 1; i <= 2; i++) {
            String master = hosts.address(i) + ":" + MASTER_PORT;
            String slave = hosts.address(i == 1 ? 2 : 1) + ":" + SLAVE_PORT;
            Await.until("slave " + slave + " of " + masterGroup(i) + " to catch up with " + master, REPLICATION, () -> {
                long onMaster = cluster().commitLogMaxOffset(master);
                long onSlave = cluster().commitLogMaxOffset(slave);
                if (onMaster == 0 || onSlave != onMaster) {
                    throw new IllegalStateException("commitLogMaxOffset master " + onMaster + ", slave " + onSlave);
                }
                return true;
            });
        }
    }

    @Test
    @Order(4)
    void dataSources_readTheClusterAndTheTopicThroughTheProvidersNameServers() throws IOException {
        Terraform readback = Terraform.in(Files.createDirectories(workdir.resolve("readback")));
        readback.writeConfig(Hcl.requiredProvider()
                + "\n"
                + Hcl.Block.provider("rocketmq")
                        .with("name_servers", Hcl.list(nameServer(1), nameServer(2)))
                        .render()
                + "\n"
                + "data \"rocketmq_cluster\" \"c\" {\n  cluster_name = " + Hcl.string(CLUSTER_NAME) + "\n}\n"
                + "data \"rocketmq_topic\" \"t\" {\n  name = " + Hcl.string(topicName) + "\n}\n"
                + "output \"brokers\" {\n  value = data.rocketmq_cluster.c.brokers\n}\n"
                + "output \"topic\" {\n  value = data.rocketmq_topic.t\n}\n");
        ExecResult init = readback.init();
        assertThat(init.exitCode()).as(init.describe()).isZero();
        ExecResult apply = readback.apply();
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        ExecResult output = readback.run(Terraform.STATE_TIMEOUT, "output", "-no-color", "-json");
        assertThat(output.exitCode()).as(output.describe()).isZero();
        JsonObject outputs = JsonParser.parseString(output.stdout()).getAsJsonObject();

        List<String> brokers = new ArrayList<>();
        for (JsonElement b : outputs.getAsJsonObject("brokers").getAsJsonArray("value")) {
            JsonObject broker = b.getAsJsonObject();
            assertThat(broker.get("version").getAsString())
                    .as("version of %s", broker)
                    .isNotBlank();
            brokers.add(broker.get("cluster_name").getAsString() + "/"
                    + broker.get("broker_name").getAsString() + "/"
                    + broker.get("broker_id").getAsLong() + "="
                    + broker.get("address").getAsString());
        }
        assertThat(brokers)
                .as("data.rocketmq_cluster brokers, sorted by cluster, name and id")
                .containsExactly(
                        CLUSTER_NAME + "/broker-a/0=" + hosts.address(1) + ":" + MASTER_PORT,
                        CLUSTER_NAME + "/broker-a/1=" + hosts.address(2) + ":" + SLAVE_PORT,
                        CLUSTER_NAME + "/broker-b/0=" + hosts.address(2) + ":" + MASTER_PORT,
                        CLUSTER_NAME + "/broker-b/1=" + hosts.address(1) + ":" + SLAVE_PORT);

        JsonObject topic = outputs.getAsJsonObject("topic").getAsJsonObject("value");
        assertThat(topic.get("read_queue_nums").getAsInt())
                .as("data.rocketmq_topic %s", topic)
                .isEqualTo(8);
        assertThat(topic.get("write_queue_nums").getAsInt())
                .as("data.rocketmq_topic %s", topic)
                .isEqualTo(8);
        assertThat(topic.get("perm").getAsInt())
                .as("data.rocketmq_topic %s", topic)
                .isEqualTo(6);
        List<String> brokerNames = new ArrayList<>();
        topic.getAsJsonArray("broker_names").forEach(n -> brokerNames.add(n.getAsString()));
        assertThat(brokerNames).as("data.rocketmq_topic %s", topic).containsExactlyInAnyOrderElementsOf(GROUPS);
    }

    @Test
    @Order(5)
    void replanAndReapply_changeNothingAndUploadNothing() {
        Path planLog = workdir.resolve("plan-noop.provider.log");
        ExecResult plan = terraform.run(
                providerLog(planLog),
                Terraform.PLAN_TIMEOUT,
                "plan",
                "-no-color",
                "-input=false",
                "-detailed-exitcode");
        assertThat(plan.exitCode())
                .as("a second plan should say \"No changes\"\n%s", plan.describe())
                .isZero();

        Path applyLog = workdir.resolve("apply-2.provider.log");
        ExecResult apply = terraform.run(
                providerLog(applyLog), Terraform.APPLY_TIMEOUT, "apply", "-no-color", "-input=false", "-auto-approve");
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        assertThat(apply.stdout()).as(apply.describe()).contains("0 added, 0 changed, 0 destroyed");
        assertThat(applyLog).as("TF_LOG_PATH of the re-apply").exists();
        assertThat(ProviderLog.entries(planLog, UPLOADED))
                .as("uploads during the no-op plan")
                .isEmpty();
        assertThat(ProviderLog.entries(applyLog, UPLOADED))
                .as("uploads during the no-op apply")
                .isEmpty();
    }

    @Test
    @Order(6)
    void killedMaster_isStartedInPlace_andKeepsItsMessages() throws Exception {
        String victim = master(1);
        long oldPid = terraform.state().resource(victim).number("pid");
        hosts.kill9(1, oldPid);
        Await.until("pid " + oldPid + " on h1 to die", PROCESS_EXIT, () -> !hosts.isAlive(1, oldPid));

        PlanJson plan = terraform.planJson();
        assertThat(plan.actions(victim))
                .as("a dead broker is started in place\n%s", plan)
                .containsExactly("update");
        assertThat(plan.before(victim, "state").getAsString())
                .as(plan.describe())
                .isEqualTo("stopped");
        assertThat(plan.after(victim, "state").getAsString())
                .as(plan.describe())
                .isEqualTo("running");
        assertThat(plan.addressesWith("delete"))
                .as("nothing is replaced or deleted\n%s", plan)
                .isEmpty();
        assertThat(plan.addressesWith("update").stream()
                        .filter(a -> !a.equals(TOPIC) && !a.startsWith(LOAD_TOPIC + "[")))
                .as("no other name server or broker changes\n%s", plan)
                .containsExactly(victim);

        ExecResult apply = terraform.apply();
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        StateJson.Resource broker = terraform.state().resource(victim);
        assertThat(broker.string("state")).isEqualTo("running");
        long newPid = broker.number("pid");
        assertThat(newPid).as("a new broker process").isNotEqualTo(oldPid);
        assertThat(hosts.isAlive(1, newPid))
                .as("broker pid %d alive on h1", newPid)
                .isTrue();
        for (int i = 1; i <= 2; i++) {
            byNameServer
                    .computeIfAbsent(i, n -> Cluster.connect(nameServer(n)))
                    .awaitMaster(masterGroup(1), hosts.address(1) + ":" + MASTER_PORT, REGISTRATION);
        }

        assertThat(sentBodies).as("messages from the earlier step").hasSize(MESSAGE_COUNT);
        Set<String> received = Messages.receive(nameServers(), topicName, sentBodies, DELIVERY);
        assertThat(received)
                .as("messages stored before the crash, read by a new consumer group")
                .containsExactlyInAnyOrderElementsOf(sentBodies);
    }

    @Test
    @Order(7)
    void heapOfOneBroker_changesInPlaceByRestartingOnlyThatBroker() throws Exception {
        String victim = slave(1);
        long oldPid = terraform.state().resource(victim).number("pid");
        vars.put("broker_heap_overrides", Hcl.map(Map.of(slaveGroup(1) + "-slave", "320m")));
        writeVars();

        PlanJson plan = terraform.planJson();
        assertThat(plan.actions(victim))
                .as("a heap change is an update in place\n%s", plan)
                .containsExactly("update");
        assertThat(plan.replacePaths(victim)).as(plan.describe()).isEmpty();
        assertThat(plan.addressesWith("delete")).as(plan.describe()).isEmpty();
        assertThat(plan.addressesWith("update"))
                .as("only %s changes\n%s", victim, plan)
                .containsExactly(victim);
        assertThat(plan.after(victim, "jvm_heap").getAsString())
                .as(plan.describe())
                .isEqualTo("320m");

        ExecResult apply = terraform.apply();
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        StateJson.Resource broker = terraform.state().resource(victim);
        assertThat(broker.string("jvm_heap")).isEqualTo("320m");
        long newPid = broker.number("pid");
        assertThat(newPid).as("the broker was restarted").isNotEqualTo(oldPid);
        assertThat(hosts.isAlive(1, oldPid)).as("old pid %d has exited", oldPid).isFalse();
        assertThat(hosts.isAlive(1, newPid)).as("new pid %d is alive", newPid).isTrue();
        String cmdline = hosts.cmdline(1, newPid);
        Path launch =
                hosts.fs(1).resolve(broker.string("home_dir").substring(1)).resolve("launch.sh");
        boolean heapInLaunchScript =
                Files.isRegularFile(launch) && Files.readString(launch).contains("320m");
        assertThat(cmdline.contains("-Xmx320m") || heapInLaunchScript)
                .as("the new heap reaches the broker: command line %s, %s", cmdline, launch)
                .isTrue();

        String slaveAddress = hosts.address(1) + ":" + SLAVE_PORT;
        for (int i = 1; i <= 2; i++) {
            Cluster ns = byNameServer.computeIfAbsent(i, n -> Cluster.connect(nameServer(n)));
            Await.until(
                    slaveGroup(1) + " slave registered again in " + nameServer(i),
                    REGISTRATION,
                    () -> slaveAddress.equals(ns.brokerAddresses()
                            .getOrDefault(slaveGroup(1), Map.of())
                            .get(1L)));
        }
        ExecResult again = terraform.plan();
        assertThat(again.exitCode())
                .as("no changes after the restart\n%s", again.describe())
                .isZero();
    }

    @Test
    @Order(8)
    void renamingABrokerGroup_isPlannedAsReplacement() {
        vars.put("broker_names", Hcl.list(GROUPS.get(0), "broker-c"));
        writeVars();
        try {
            PlanJson plan = terraform.planJson();
            for (String renamed : List.of(master(2), slave(1))) {
                assertThat(plan.actions(renamed))
                        .as("%s is replaced\n%s", renamed, plan)
                        .containsExactlyInAnyOrder("delete", "create");
                assertThat(plan.replacePaths(renamed))
                        .as("%s replaced because of broker_name\n%s", renamed, plan)
                        .anySatisfy(path -> assertThat(path).contains("broker_name"));
            }
            for (String kept : List.of(master(1), slave(2), nameserver(1), nameserver(2))) {
                assertThat(plan.actions(kept)).as("%s is kept\n%s", kept, plan).containsExactly("no-op");
            }
        } finally {
            vars.put("broker_names", Hcl.list(GROUPS));
            writeVars();
        }
    }

    @Test
    @Order(9)
    void savedPlan_appliesAfterSshdRestart() throws Exception {
        String restarted = slave(1);
        long nameServerPid = terraform.state().resource(nameserver(1)).number("pid");
        long masterPid = terraform.state().resource(master(1)).number("pid");
        vars.put("broker_heap_overrides", "{}");
        vars.put("topic_queue_nums", "12");
        writeVars();

        PlanJson plan = terraform.planJson();
        assertThat(plan.addressesWith("update"))
                .as("the pending changes\n%s", plan)
                .containsExactlyInAnyOrder(TOPIC, restarted);
        assertThat(plan.addressesWith("delete")).as(plan.describe()).isEmpty();

        hosts.restartSshd(1);
        assertThat(hosts.isAlive(1, nameServerPid))
                .as("name server survives the sshd restart")
                .isTrue();
        assertThat(hosts.isAlive(1, masterPid))
                .as("master survives the sshd restart")
                .isTrue();

        ExecResult apply = terraform.run(Terraform.APPLY_TIMEOUT, "apply", "-no-color", "-input=false", "tfplan");
        assertThat(apply.exitCode())
                .as("the saved plan applies over new SSH connections\n%s", apply.describe())
                .isZero();
        assertThat(terraform.state().resource(restarted).string("jvm_heap")).isEqualTo("256m");
        cluster().awaitQueues(topicName, 12, 12, ROUTE);
        ExecResult again = terraform.plan();
        assertThat(again.exitCode())
                .as("no changes after the saved plan\n%s", again.describe())
                .isZero();
    }

    @Test
    @Order(10)
    void destroy_stopsEverythingOnBothHosts() {
        ExecResult destroy = terraform.destroy();
        assertThat(destroy.exitCode()).as(destroy.describe()).isZero();
        assertThat(terraform.state().addresses()).as("state after destroy").isEmpty();

        for (int i = 1; i <= 2; i++) {
            int host = i;
            Await.until("no RocketMQ process on h" + host, PROCESS_EXIT, () -> {
                if (!hosts.rocketmqProcesses(host).isEmpty()) {
                    throw new IllegalStateException("still running: " + hosts.rocketmqProcesses(host));
                }
                return true;
            });
            ExecResult pgrep = hosts.ssh(host, "pgrep -fa '[r]ocketmq'");
            assertThat(pgrep.exitCode())
                    .as("pgrep on h%d finds nothing\n%s", host, pgrep.describe())
                    .isEqualTo(1);
            List<Integer> ports = new ArrayList<>(List.of(NAMESERVER_PORT));
            for (int base : List.of(MASTER_PORT, SLAVE_PORT)) {
                ports.addAll(List.of(base - 2, base - 1, base, base + 1));
            }
            Await.until("ports " + ports + " of " + hosts.address(host) + " closed", PORT_RELEASE, () -> {
                for (int port : ports) {
                    if (TestHosts.isListening(hosts.address(host), port)) {
                        throw new IllegalStateException(
                                hosts.address(host) + ":" + port + " still accepts connections");
                    }
                }
                return true;
            });
        }
    }

    /** Sends probes to each master until one is acknowledged with SEND_OK, i.e. its slave has connected. */
    private void awaitSendOkOnEveryMaster() {
        String run = UUID.randomUUID().toString();
        DefaultMQProducer producer = new DefaultMQProducer("acc-probe-" + run);
        producer.setNamesrvAddr(nameServers());
        producer.setInstanceName("acc-probe-" + run);
        producer.setSendMsgTimeout(5_000);
        try {
            producer.start();
            for (String group : GROUPS) {
                Await.until(
                        "a message to " + group + " acknowledged by master and slave (SEND_OK)", REPLICATION, () -> {
                            MessageQueue queue = producer.fetchPublishMessageQueues(topicName).stream()
                                    .filter(q -> q.getBrokerName().equals(group))
                                    .findFirst()
                                    .orElseThrow(
                                            () -> new IllegalStateException("no queue of " + group + " in the route"));
                            SendResult result = producer.send(
                                    new Message(topicName, "probe", ("probe-" + run).getBytes(StandardCharsets.UTF_8)),
                                    queue);
                            if (result.getSendStatus() != SendStatus.SEND_OK) {
                                throw new IllegalStateException("send status " + result.getSendStatus());
                            }
                            return true;
                        });
            }
        } catch (MQClientException e) {
            throw new IllegalStateException("cannot start a producer for " + nameServers(), e);
        } finally {
            producer.shutdown();
        }
    }

    private Map<String, Map<Long, String>> expectedBrokers() {
        Map<String, Map<Long, String>> expected = new TreeMap<>();
        expected.put(
                GROUPS.get(0),
                new TreeMap<>(
                        Map.of(0L, hosts.address(1) + ":" + MASTER_PORT, 1L, hosts.address(2) + ":" + SLAVE_PORT)));
        expected.put(
                GROUPS.get(1),
                new TreeMap<>(
                        Map.of(0L, hosts.address(2) + ":" + MASTER_PORT, 1L, hosts.address(1) + ":" + SLAVE_PORT)));
        return expected;
    }

    private Cluster cluster() {
        if (cluster == null) {
            cluster = Cluster.connect(nameServers());
        }
        return cluster;
    }

    private String nameServer(int i) {
        return hosts.address(i) + ":" + NAMESERVER_PORT;
    }

    private String nameServers() {
        return nameServer(1) + ";" + nameServer(2);
    }

    /** broker-a's master runs on h1, broker-b's on h2. */
    private static String masterGroup(int host) {
        return GROUPS.get(host - 1);
    }

    /** Each host runs the slave of the other host's group. */
    private static String slaveGroup(int host) {
        return GROUPS.get(host == 1 ? 1 : 0);
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

    /** The address in a log field that may also carry the SSH user and port ({@code root@198.18.11.11:22}). */
    private static String hostOf(String field) {
        if (field == null) {
            return "(no host field)";
        }
        String host = field.substring(field.lastIndexOf('@') + 1);
        return host.matches(".+:\\d+") ? host.substring(0, host.lastIndexOf(':')) : host;
    }

    private static Map<String, String> providerLog(Path file) {
        return Map.of("TF_LOG_PROVIDER", "debug", "TF_LOG_PATH", file.toString());
    }

    private void writeVars() {
        StringBuilder tfvars = new StringBuilder();
        int width = vars.keySet().stream().mapToInt(String::length).max().orElse(0);
        vars.forEach((name, value) -> tfvars.append(name)
                .append(" ".repeat(width - name.length()))
                .append(" = ")
                .append(value)
                .append('\n'));
        try {
            Files.writeString(
                    terraform.workdir().resolve("terraform.tfvars"), tfvars.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
