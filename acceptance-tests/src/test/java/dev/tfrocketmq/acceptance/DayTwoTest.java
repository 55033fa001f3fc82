package dev.tfrocketmq.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.acceptance.harness.Await;
import dev.tfrocketmq.acceptance.harness.BrokerWatch;
import dev.tfrocketmq.acceptance.harness.Cluster;
import dev.tfrocketmq.acceptance.harness.Examples;
import dev.tfrocketmq.acceptance.harness.Hcl;
import dev.tfrocketmq.acceptance.harness.Messages;
import dev.tfrocketmq.acceptance.harness.PlanJson;
import dev.tfrocketmq.acceptance.harness.Project;
import dev.tfrocketmq.acceptance.harness.ProviderLog;
import dev.tfrocketmq.acceptance.harness.StateJson;
import dev.tfrocketmq.acceptance.harness.SteadyProducer;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
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
 * Day two on the seed tutorial's two-host layout ({@code examples/cluster}: on each host a name server, the master of
 * one group on 10911 and the slave of the other on 10811, SYNC_MASTER, deleteWhen=04, fileReservedTime=48), started on
 * RocketMQ 4.9.7, the generation the tutorial runs, and taken through what an operator does next, on one cluster:
 * {@code mqadmin clusterList} on a host, drift of the rendered file and of the live config, a live change, a change
 * that restarts, a rolling upgrade to 5.5.0 under a steady producer, and the tutorial's docker-compose port layout,
 * which must fail at plan.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(StopAfterFailedStep.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
final class DayTwoTest {
    private static final String PREFIX = "accday2";
    private static final String NET = "198.18.14";
    private static final String FROM = "4.9.7";
    private static final String TO = "5.5.0";
    private static final String CLUSTER_NAME = "DefaultCluster";
    private static final String INSTALL_DIR = "/opt/rocketmq";
    private static final int NAMESERVER_PORT = 9876;
    private static final int MASTER_PORT = 10911;
    private static final int SLAVE_PORT = 10811;
    private static final List<String> GROUPS = List.of("broker-a", "broker-b");
    private static final Duration REGISTRATION = Duration.ofSeconds(60);
    private static final Duration DELIVERY = Duration.ofSeconds(90);

    private Path workdir;
    private TestHosts hosts;
    private Terraform terraform;
    private Cluster cluster;
    private String topicName;
    private final Map<String, String> vars = new LinkedHashMap<>();

    @BeforeAll
    void bringUpHostsAndInit() throws IOException {
        Project.requirePackaged();
        for (String version : List.of(FROM, TO)) {
            assertThat(Project.runtimeArchive(version))
                    .as("RocketMQ %s archive: run `make package` first", version)
                    .isRegularFile();
        }
        workdir = WorkDir.create("day-two");
        hosts = TestHosts.up(PREFIX, NET, 2, workdir.resolve("hosts"));
        terraform = Terraform.in(Examples.copy("cluster", workdir));
        topicName = "acc_day2_" + Long.toHexString(System.nanoTime());

        vars.put("host_addresses", Hcl.list(hosts.address(1), hosts.address(2)));
        vars.put("private_key_file", Hcl.string(hosts.privateKey().toString()));
        vars.put("known_hosts_file", Hcl.string(hosts.knownHosts().toString()));
        vars.put("distribution", Hcl.string(Project.runtimeArchive(FROM).toString()));
        vars.put("install_dir", Hcl.string(INSTALL_DIR));
        vars.put("nameserver_heap", Hcl.string("128m"));
        vars.put("broker_heap", Hcl.string("256m"));
        vars.put("jvm_options", Hcl.list("-XX:+UseSerialGC"));
        vars.put("delete_when", Hcl.string("04"));
        vars.put("file_reserved_time", "48");
        vars.put("broker_properties", properties(Map.of()));
        vars.put("topic_name", Hcl.string(topicName));
        vars.put("topic_queue_nums", "4");
        writeVars();

        ExecResult init = terraform.init();
        assertThat(init.exitCode()).as(init.describe()).isZero();
    }

    @AfterAll
    void destroyAndTakeHostsDown() {
        SuiteTeardown.run(terraform, hosts, cluster);
    }

    @Test
    @Order(1)
    void seedLayoutOn497_runsFourBrokersThatMqadminListsWithTheirAddresses_roundTripsAndReplansClean()
            throws Exception {
        ExecResult apply = apply("apply-497");
        assertThat(apply.exitCode()).as(apply.describe()).isZero();

        StateJson state = terraform.state();
        for (int i = 1; i <= 2; i++) {
            assertThat(state.resource(master(i)).string("rocketmq_version"))
                    .as("%s's version, read from the archive", master(i))
                    .isEqualTo(FROM);
        }
        assertClusterList(1, FROM);
        assertRoles();
        roundTrip();
        assertNoChanges("after the first apply");
    }

    @Test
    @Order(2)
    void aHandEditedBrokerConfAndALiveUpdateBrokerConfig_showAsChangesBack_andApplyRestoresBothWithoutARestart()
            throws Exception {
        Map<String, Long> pids = brokerPids();
        Path conf = hosts.fs(1).resolve("opt/rocketmq/broker-" + MASTER_PORT + "/conf/broker.conf");
        String rendered = Files.readString(conf);
        assertThat(rendered).as("rendered broker.conf").contains("deleteWhen=04\n");
        Files.writeString(conf, rendered.replace("deleteWhen=04\n", "deleteWhen=05\n"));
        cluster().updateBrokerConfig(brokerAddress(2, MASTER_PORT), "deleteWhen", "06");

        PlanJson plan = terraform.planJson();
        assertThat(plan.addressesWith("update"))
                .as("the drifted masters, and nothing else\n%s", plan)
                .containsExactlyInAnyOrder(master(1), master(2));
        assertThat(plan.before(master(1), "delete_when").getAsString())
                .as("the hand-edited file, as found")
                .isEqualTo("05");
        assertThat(plan.before(master(2), "delete_when").getAsString())
                .as("the live change, as the broker reports it")
                .isEqualTo("06");
        for (int i = 1; i <= 2; i++) {
            assertThat(plan.after(master(i), "delete_when").getAsString())
                    .as("%s back to the declared value", master(i))
                    .isEqualTo("04");
            assertThat(plan.after(master(i), "pid").getAsLong())
                    .as("%s keeps its pid: deleteWhen applies live\n%s", master(i), plan)
                    .isEqualTo(pids.get(master(i)));
        }

        ExecResult apply = apply("apply-drift");
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        assertThat(brokerPids()).as("no broker restarted").isEqualTo(pids);
        assertThat(Files.readString(conf)).as("the rendered file, restored").isEqualTo(rendered);
        for (int i = 1; i <= 2; i++) {
            assertThat(cluster().brokerConfig(brokerAddress(i, MASTER_PORT)).getProperty("deleteWhen"))
                    .as("deleteWhen of the running master on h%d", i)
                    .isEqualTo("04");
        }
        assertNoChanges("after the drift was put back");
    }

    @Test
    @Order(3)
    void aLiveKeyChange_reachesTheRunningBrokersWithoutARestart() throws Exception {
        Map<String, Long> pids = brokerPids();
        vars.put("file_reserved_time", "72");
        writeVars();
        PlanJson plan = terraform.planJson();
        assertThat(plan.addressesWith("update"))
                .as("every broker\n%s", plan)
                .containsExactlyInAnyOrderElementsOf(pids.keySet());
        for (String broker : pids.keySet()) {
            assertThat(plan.after(broker, "pid").getAsLong())
                    .as("%s keeps its pid in the plan\n%s", broker, plan)
                    .isEqualTo(pids.get(broker));
        }

        ExecResult apply = apply("apply-live");
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        assertThat(brokerPids()).as("no broker restarted").isEqualTo(pids);
        for (String address : allBrokerAddresses()) {
            assertThat(cluster().brokerConfig(address).getProperty("fileReservedTime"))
                    .as("fileReservedTime of the running broker %s", address)
                    .isEqualTo("72");
        }
        assertNoChanges("after the live change");
    }

    @Test
    @Order(4)
    void aRestartOnlyKeyChange_restartsEveryBrokerSlavesBeforeTheirMasters_andTheWarningNamesTheKey() throws Exception {
        Map<String, Long> pids = brokerPids();
        vars.put("broker_properties", properties(Map.of("sendMessageThreadPoolNums", "4")));
        writeVars();
        ExecResult plan = terraform.plan();
        assertThat(plan.exitCode()).as(plan.describe()).isEqualTo(2);
        assertThat(plan.stdout())
                .as("the plan warns which key restarts the brokers\n%s", plan.describe())
                .contains("Warning: The broker restarts: sendMessageThreadPoolNums")
                .contains("pid")
                .contains("(known after apply)");

        Path log = workdir.resolve("apply-restart.provider.log");
        ExecResult apply = apply("apply-restart");
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        Map<String, Long> after = brokerPids();
        for (String broker : pids.keySet()) {
            assertThat(after.get(broker)).as("%s restarted", broker).isNotEqualTo(pids.get(broker));
        }
        for (String address : allBrokerAddresses()) {
            assertThat(cluster().brokerConfig(address).getProperty("sendMessageThreadPoolNums"))
                    .as("sendMessageThreadPoolNums of %s", address)
                    .isEqualTo("4");
        }
        assertRolled(log);
        awaitAllRegistered();
        assertNoChanges("after the restarts");
    }

    @Test
    @Order(5)
    void aRollingUpgradeTo550_underASteadySyncMasterProducer_losesNoAcknowledgedMessage_andKeepsEveryGroupUp()
            throws Exception {
        Map<String, List<String>> groups = new TreeMap<>();
        groups.put(GROUPS.get(0), List.of(brokerAddress(1, MASTER_PORT), brokerAddress(2, SLAVE_PORT)));
        groups.put(GROUPS.get(1), List.of(brokerAddress(2, MASTER_PORT), brokerAddress(1, SLAVE_PORT)));
        vars.put("distribution", Hcl.string(Project.runtimeArchive(TO).toString()));
        writeVars();
        Path log = workdir.resolve("apply-upgrade.provider.log");

        Instant started;
        Instant finished;
        ExecResult apply;
        List<SteadyProducer.Send> sends;
        List<String> watched;
        List<String> groupsDown;
        int rounds;
        int mostDown;
        try (BrokerWatch watch = BrokerWatch.start(groups, Duration.ofMillis(100));
                SteadyProducer producer = SteadyProducer.start(nameServers(), topicName, Duration.ofMillis(20))) {
            Thread.sleep(2_000); // a steady stream before the upgrade begins
            started = Instant.now();
            apply = apply("apply-upgrade");
            finished = Instant.now();
            Thread.sleep(2_000); // and after it ends
            producer.close();
            sends = producer.sends();
            watch.close();
            watched = watch.timeline();
            groupsDown = watch.groupsDown();
            rounds = watch.rounds();
            mostDown = watch.mostDownAtOnce();
        }
        assertThat(apply.exitCode()).as(apply.describe()).isZero();

        List<String> acknowledged = sends.stream()
                .filter(SteadyProducer.Send::acknowledged)
                .map(SteadyProducer.Send::body)
                .toList();
        Set<String> consumed = Messages.receivePushed(nameServers(), topicName, acknowledged, DELIVERY);
        Set<String> lost = new TreeSet<>(acknowledged);
        lost.removeAll(consumed);

        String report = report(started, finished, log, sends, acknowledged.size(), consumed.size(), watched, rounds);
        Files.writeString(workdir.resolve("upgrade-timeline.txt"), report);
        System.out.println(report);

        assertThat(acknowledged)
                .as("acknowledged sends during the upgrade\n%s", report)
                .isNotEmpty();
        assertThat(lost)
                .as("acknowledged messages that cannot be consumed\n%s", report)
                .isEmpty();
        assertThat(groupsDown)
                .as("moments when no broker of a group answered\n%s", report)
                .isEmpty();
        Duration longestWithoutAck = longestWithoutAcknowledgement(sends, started, finished);
        System.out.println("longest stretch of the upgrade without an acknowledged send: " + longestWithoutAck);
        assertThat(longestWithoutAck)
                .as(
                        "longest stretch of the upgrade in which no send was acknowledged (the cluster kept taking "
                                + "writes)\n%s",
                        report)
                .isLessThan(Duration.ofSeconds(5));
        assertThat(rounds).as("probe rounds of the broker watch").isGreaterThan(50);
        assertThat(mostDown).as("brokers down at the same moment\n%s", report).isEqualTo(1);
        assertRolled(log);

        StateJson state = terraform.state();
        for (String broker : brokerPids().keySet()) {
            StateJson.Resource r = state.resource(broker);
            assertThat(r.string("rocketmq_version")).as("%s version", broker).isEqualTo(TO);
            int host = r.string("host").equals(hosts.address(1)) ? 1 : 2;
            assertThat(hosts.cmdline(host, r.number("pid")))
                    .as("%s runs from the new distribution, in its old directory", broker)
                    .contains(r.string("distribution_sha256"))
                    .contains(r.string("home_dir"));
        }
    }

    @Test
    @Order(6)
    void seedLayoutOn550_listsFourBrokers_roundTripsAndReplansClean() throws Exception {
        awaitAllRegistered();
        assertClusterList(2, TO);
        assertRoles();
        roundTrip();
        assertNoChanges("after the upgrade");
    }

    @Test
    @Order(7)
    void theDockerComposePortLayout_failsAtPlanNamingBothBrokersAndThePort_andStartsNothing() throws IOException {
        Path dir = Files.createDirectories(workdir.resolve("compose"));
        Terraform compose = Terraform.in(dir);
        String ns = hosts.address(1) + ":" + NAMESERVER_PORT;
        StringBuilder hcl = new StringBuilder(Hcl.requiredProvider())
                .append('\n')
                .append(Hcl.Block.provider("rocketmq")
                        .withBlock(Hcl.Block.nested("ssh")
                                .withString("private_key", hosts.privateKeyText())
                                .withString(
                                        "known_hosts_file", hosts.knownHosts().toString()))
                        .render());
        // the tutorial's docker-compose variant: one host, a master on 10911 and another group's slave on 10909
        for (String[] broker :
                new String[][] {{"m", "broker-a-master", "0", "10911"}, {"s", "broker-b-slave", "1", "10909"}}) {
            hcl.append('\n')
                    .append(Hcl.Block.resource("rocketmq_broker", broker[0])
                            .withString("host", hosts.address(1))
                            .withString("install_dir", "/opt/compose")
                            .withString(
                                    "distribution", Project.runtimeArchive(FROM).toString())
                            .withString("cluster_name", "rocketmq-cluster")
                            .withString("broker_name", broker[1])
                            .with("broker_id", broker[2])
                            .with("name_servers", Hcl.list(ns))
                            .with("listen_port", broker[3])
                            .render());
        }
        compose.writeConfig(hcl.toString());
        ExecResult init = compose.init();
        assertThat(init.exitCode()).as(init.describe()).isZero();
        int processesBefore = hosts.rocketmqJvms(1).size();

        ExecResult plan = compose.plan();
        assertThat(plan.exitCode()).as("the plan fails\n%s", plan.describe()).isEqualTo(1);
        assertThat(plan.output())
                .as("the error names both brokers and the port\n%s", plan.describe())
                .contains("Port 10909")
                .contains("broker-a-master")
                .contains("broker-b-slave")
                .contains("listen_port");
        assertThat(hosts.fs(1).resolve("opt/compose")).as("nothing installed").doesNotExist();
        assertThat(hosts.rocketmqJvms(1)).as("nothing started on h1").hasSize(processesBefore);
    }

    /** {@code mqadmin clusterList}, run on host {@code i} from the distribution the provider installed there. */
    private void assertClusterList(int i, String version) throws Exception {
        StateJson.Resource master = terraform.state().resource(master(i));
        String mqadmin = INSTALL_DIR + "/dist/" + master.string("distribution_sha256") + "/rocketmq-all-" + version
                + "-bin-release/bin/mqadmin";
        ExecResult list = hosts.ssh(i, "sh " + mqadmin + " clusterList -n '" + nameServers() + "'");
        assertThat(list.exitCode()).as(list.describe()).isZero();
        Set<String> brokers = new TreeSet<>();
        Set<String> versions = new TreeSet<>();
        for (String line : list.stdout().split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 5 && columns[0].equals(CLUSTER_NAME)) {
                brokers.add(columns[1] + "/" + columns[2] + "=" + columns[3]);
                versions.add(columns[4]);
            }
        }
        assertThat(brokers)
                .as("mqadmin clusterList on h%d\n%s", i, list.stdout())
                .containsExactlyInAnyOrder(
                        "broker-a/0=" + brokerAddress(1, MASTER_PORT),
                        "broker-a/1=" + brokerAddress(2, SLAVE_PORT),
                        "broker-b/0=" + brokerAddress(2, MASTER_PORT),
                        "broker-b/1=" + brokerAddress(1, SLAVE_PORT));
        assertThat(versions)
                .as("versions in mqadmin clusterList\n%s", list.stdout())
                .containsExactly("V" + version.replace('.', '_'));
    }

    /** Each broker runs with the declared role, as its own config says. */
    private void assertRoles() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        for (int i = 1; i <= 2; i++) {
            soft.assertThat(cluster()
                            .brokerConfig(brokerAddress(i, MASTER_PORT))
                            .getProperty("brokerRole"))
                    .as("role of the master on h%d", i)
                    .isEqualTo("SYNC_MASTER");
            soft.assertThat(cluster().brokerConfig(brokerAddress(i, SLAVE_PORT)).getProperty("brokerRole"))
                    .as("role of the slave on h%d", i)
                    .isEqualTo("SLAVE");
        }
        soft.assertAll();
    }

    private void roundTrip() {
        cluster().awaitQueues(topicName, 4, 4, REGISTRATION);
        awaitSendOkOnEveryMaster();
        List<String> sent = Messages.send(nameServers(), topicName, 20);
        assertThat(Messages.receivePushed(nameServers(), topicName, sent, DELIVERY))
                .as("every message sent is received")
                .containsExactlyInAnyOrderElementsOf(sent);
    }

    /**
     * Sends probes to each master until one is acknowledged with SEND_OK: a SYNC_MASTER acknowledges only once its
     * slave replicates (a 4.x slave connects to its master up to 5 s after it learns the master's address).
     */
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
                        "a message to " + group + " acknowledged by master and slave (SEND_OK)", REGISTRATION, () -> {
                            MessageQueue queue = producer.fetchPublishMessageQueues(topicName).stream()
                                    .filter(q -> q.getBrokerName().equals(group))
                                    .findFirst()
                                    .orElseThrow(() -> new IllegalStateException("no queue of " + group));
                            SendResult result = producer.send(
                                    new Message(topicName, "probe", run.getBytes(StandardCharsets.UTF_8)), queue);
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

    private void awaitAllRegistered() {
        Map<String, Map<Long, String>> expected = new TreeMap<>();
        expected.put(
                GROUPS.get(0),
                new TreeMap<>(Map.of(0L, brokerAddress(1, MASTER_PORT), 1L, brokerAddress(2, SLAVE_PORT))));
        expected.put(
                GROUPS.get(1),
                new TreeMap<>(Map.of(0L, brokerAddress(2, MASTER_PORT), 1L, brokerAddress(1, SLAVE_PORT))));
        Await.until("all four brokers registered", REGISTRATION, () -> {
            Map<String, Map<Long, String>> registered = cluster().brokerAddresses();
            if (!registered.equals(expected)) {
                throw new IllegalStateException("registered: " + registered);
            }
            return true;
        });
    }

    /**
     * From the provider's log of an apply: in each group the slave started again before its master stopped, and the
     * two masters were never stopped at the same time.
     */
    /** The longest time between acknowledged sends (or the apply's start or end) while the apply ran. */
    private static Duration longestWithoutAcknowledgement(
            List<SteadyProducer.Send> sends, Instant started, Instant finished) {
        Instant last = started;
        Duration longest = Duration.ZERO;
        for (SteadyProducer.Send send : sends) {
            if (!send.acknowledged() || send.at().isBefore(started) || send.at().isAfter(finished)) {
                continue;
            }
            Duration gap = Duration.between(last, send.at());
            longest = gap.compareTo(longest) > 0 ? gap : longest;
            last = send.at();
        }
        Duration tail = Duration.between(last, finished);
        return tail.compareTo(longest) > 0 ? tail : longest;
    }

    private void assertRolled(Path log) {
        Map<String, Instant> stopped = times(log, "stopped broker");
        Map<String, Instant> started = times(log, "started broker");
        for (int i = 1; i <= 2; i++) {
            int other = i == 1 ? 2 : 1;
            String masterHome = hosts.address(i) + " " + INSTALL_DIR + "/broker-" + MASTER_PORT;
            String slaveHome = hosts.address(other) + " " + INSTALL_DIR + "/broker-" + SLAVE_PORT;
            assertThat(started.get(slaveHome))
                    .as(
                            "the slave of the group mastered on h%d started again (%s) before its master stopped (%s)",
                            i, started.get(slaveHome), stopped.get(masterHome))
                    .isNotNull()
                    .isBefore(stopped.get(masterHome));
        }
        String m1 = hosts.address(1) + " " + INSTALL_DIR + "/broker-" + MASTER_PORT;
        String m2 = hosts.address(2) + " " + INSTALL_DIR + "/broker-" + MASTER_PORT;
        boolean firstThenSecond = !started.get(m1).isAfter(stopped.get(m2));
        boolean secondThenFirst = !started.get(m2).isAfter(stopped.get(m1));
        assertThat(firstThenSecond || secondThenFirst)
                .as(
                        "the masters did not restart at the same time: stopped %s / %s, started %s / %s",
                        stopped.get(m1), stopped.get(m2), started.get(m1), started.get(m2))
                .isTrue();
    }

    /** The time of each entry with {@code message}, by "<host> <home>" (the last one wins). */
    private Map<String, Instant> times(Path log, String message) {
        Map<String, Instant> times = new TreeMap<>();
        for (ProviderLog.Entry e : ProviderLog.entries(log, message)) {
            String host = e.field("host");
            String at = e.field("timestamp") != null ? e.field("timestamp") : e.field("@timestamp");
            times.put(hostOf(host) + " " + e.field("home"), Instant.parse(at));
        }
        return times;
    }

    private String report(
            Instant started,
            Instant finished,
            Path log,
            List<SteadyProducer.Send> sends,
            int acknowledged,
            int consumed,
            List<String> watched,
            int rounds) {
        StringBuilder out = new StringBuilder("rolling upgrade " + FROM + " -> " + TO + " of the seed layout\n");
        out.append("apply: ")
                .append(started)
                .append(" .. ")
                .append(finished)
                .append(" (")
                .append(Duration.between(started, finished).toMillis())
                .append(" ms)\n");
        Map<String, Integer> outcomes = new TreeMap<>();
        sends.forEach(s -> outcomes.merge(s.outcome(), 1, Integer::sum));
        out.append("sent ")
                .append(sends.size())
                .append(", acknowledged (SEND_OK) ")
                .append(acknowledged)
                .append(", consumed afterwards ")
                .append(consumed)
                .append(" of the acknowledged; outcomes ")
                .append(outcomes)
                .append('\n');
        out.append("broker watch: ").append(rounds).append(" probe rounds of every 100 ms\n");
        List<String> events = new ArrayList<>();
        for (String message : List.of(
                "restart turn",
                "brokers registered again with the restarted name server",
                "master takes no writes while its group restarts",
                "master takes writes again",
                "slaves caught up with their master",
                "stopped nameserver",
                "started nameserver",
                "stopped broker",
                "started broker")) {
            for (ProviderLog.Entry e : ProviderLog.entries(log, message)) {
                String at = e.field("timestamp") != null ? e.field("timestamp") : e.field("@timestamp");
                String what = e.field("home") != null
                        ? hostOf(e.field("host")) + " " + e.field("home")
                        : e.field("component") != null
                                ? e.field("component")
                                : e.field("master") != null ? e.field("master") : e.field("address");
                String extra =
                        e.field("millis") != null ? " (" + e.field("how") + ", " + e.field("millis") + " ms)" : "";
                events.add(at + " provider: " + message + ": " + what + extra);
            }
        }
        watched.forEach(w -> events.add(w.replaceFirst(" ", " watch: ")));
        Instant first = sends.isEmpty() ? started : sends.get(0).at();
        Map<Long, Map<String, Integer>> perSecond = new TreeMap<>();
        for (SteadyProducer.Send s : sends) {
            perSecond
                    .computeIfAbsent(Duration.between(first, s.at()).toSeconds(), k -> new TreeMap<>())
                    .merge(s.outcome(), 1, Integer::sum);
        }
        perSecond.forEach((second, counts) -> {
            if (counts.keySet().stream().anyMatch(k -> !k.equals("SEND_OK"))) {
                events.add(first.plusSeconds(second) + " producer: second " + second + " " + counts);
            }
        });
        events.sort(Comparator.naturalOrder());
        out.append("timeline:\n");
        events.forEach(e -> out.append("  ").append(e).append('\n'));
        return out.toString();
    }

    private ExecResult apply(String name) {
        Path log = workdir.resolve(name + ".provider.log");
        return terraform.run(
                Map.of("TF_LOG_PROVIDER", "info", "TF_LOG_PATH", log.toString()),
                Terraform.APPLY_TIMEOUT,
                "apply",
                "-no-color",
                "-input=false",
                "-auto-approve");
    }

    private void assertNoChanges(String when) {
        ExecResult plan = terraform.plan();
        assertThat(plan.exitCode())
                .as("no changes %s\n%s", when, plan.describe())
                .isZero();
    }

    private Map<String, Long> brokerPids() {
        StateJson state = terraform.state();
        Map<String, Long> pids = new TreeMap<>();
        for (int i = 1; i <= 2; i++) {
            pids.put(master(i), state.resource(master(i)).number("pid"));
            pids.put(slave(i), state.resource(slave(i)).number("pid"));
        }
        return pids;
    }

    private List<String> allBrokerAddresses() {
        List<String> all = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            all.add(brokerAddress(i, MASTER_PORT));
            all.add(brokerAddress(i, SLAVE_PORT));
        }
        return all;
    }

    private Cluster cluster() {
        if (cluster == null) {
            cluster = Cluster.connect(nameServers());
        }
        return cluster;
    }

    private String brokerAddress(int host, int port) {
        return hosts.address(host) + ":" + port;
    }

    private String nameServers() {
        return hosts.address(1) + ":" + NAMESERVER_PORT + ";" + hosts.address(2) + ":" + NAMESERVER_PORT;
    }

    private String master(int i) {
        return "module.cluster.rocketmq_broker.master[\"" + hosts.address(i) + "\"]";
    }

    private String slave(int i) {
        return "module.cluster.rocketmq_broker.slave[\"" + hosts.address(i) + "\"]";
    }

    private static String properties(Map<String, String> extra) {
        Map<String, String> all = new TreeMap<>(Map.of(
                "mappedFileSizeCommitLog", "67108864",
                "mappedFileSizeConsumeQueue", "600000"));
        all.putAll(extra);
        return Hcl.map(all);
    }

    /** The address in a log field that may also carry the SSH user and port ({@code root@198.18.14.11:22}). */
    private static String hostOf(String field) {
        if (field == null) {
            return "(no host field)";
        }
        String host = field.substring(field.lastIndexOf('@') + 1);
        return host.matches(".+:\\d+") ? host.substring(0, host.lastIndexOf(':')) : host;
    }

    private void writeVars() {
        StringBuilder tfvars = new StringBuilder();
        vars.forEach(
                (name, value) -> tfvars.append(name).append(" = ").append(value).append('\n'));
        try {
            Files.writeString(
                    terraform.workdir().resolve("terraform.tfvars"), tfvars.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
