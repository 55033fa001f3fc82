package dev.tfrocketmq.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.acceptance.harness.Await;
import dev.tfrocketmq.acceptance.harness.Examples;
import dev.tfrocketmq.acceptance.harness.PlanJson;
import dev.tfrocketmq.acceptance.harness.Project;
import dev.tfrocketmq.acceptance.harness.SignedClients;
import dev.tfrocketmq.acceptance.harness.SignedClients.User;
import dev.tfrocketmq.acceptance.harness.StateJson;
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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
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
 * {@code examples/cluster} on two real SSH hosts with authentication and authorization on, a proxy on each host and
 * one application's access (module application-access: topic, consumer group, user, ACL). One cluster is taken
 * through ordered steps: what the provider created with its admin credentials, who may send and consume through the
 * brokers and through a proxy with a RocketMQ 5 client, the consumer group changed in place, repaired after an
 * out-of-band delete on one master and imported, the password rotated, publishing revoked, wrong admin credentials,
 * the user removed, and a unique marker in every secret that must appear nowhere but in RocketMQ's own user store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(StopAfterFailedStep.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
final class ApplicationAccessTest {
    private static final String PREFIX = "accapp";
    private static final String NET = "198.18.14";
    private static final String INSTALL_DIR = "/opt/rocketmq";
    private static final String ADMIN = "accadmin";
    private static final String APP = "accapp";
    private static final String GROUP_ADDRESS = "module.app[0].rocketmq_consumer_group.this";
    private static final String USER_ADDRESS = "module.app[0].rocketmq_user.this";
    private static final String ACL_ADDRESS = "module.app[0].rocketmq_acl.this";
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final String VERSION = "5.5.0";

    /** In every secret: it must show up nowhere but in RocketMQ's user store. */
    private final String marker = "mk"
            + HexFormat.of()
                    .formatHex(java.nio.ByteBuffer.allocate(8)
                            .putLong(System.nanoTime() ^ Double.doubleToLongBits(Math.random()))
                            .array());

    private final String adminSecret = "adm-" + marker + "-Secret";
    private String appPassword = "usr-" + marker + "-one";

    private Path workdir;
    private TestHosts hosts;
    private Terraform terraform;
    private final Map<String, String> vars = new LinkedHashMap<>();
    private String appTopic;
    private String otherTopic;
    private String appGroup;
    private DefaultMQAdminExt admin;
    private final List<Path> secretBearingOutputs = new ArrayList<>();

    @BeforeAll
    void bringUpHostsAndInit() throws IOException {
        Project.requirePackaged();
        workdir = WorkDir.create("application-access");
        hosts = TestHosts.up(PREFIX, NET, 2, workdir.resolve("hosts"));
        terraform = Terraform.in(Examples.copy("cluster", workdir))
                .withEnvironment("ROCKETMQ_ACCESS_KEY", ADMIN)
                .withEnvironment("ROCKETMQ_SECRET_KEY", adminSecret)
                .withEnvironment("TF_VAR_app_password", appPassword);
        String suffix = Long.toHexString(System.nanoTime());
        appTopic = "acc_app_" + suffix;
        otherTopic = "acc_other_" + suffix;
        appGroup = "acc-app-group-" + suffix;

        vars.put("host_addresses", "[\"" + hosts.address(1) + "\", \"" + hosts.address(2) + "\"]");
        vars.put("private_key_file", quote(hosts.privateKey().toString()));
        vars.put("known_hosts_file", quote(hosts.knownHosts().toString()));
        // 5.5.0: RocketMQ 5.3.3's proxy answers a 5.x consumer's receive with "no message" when authentication is
        // on (its producer side and the brokers work); 5.5.0's delivers
        vars.put("distribution", quote(Project.runtimeArchive(VERSION).toString()));
        vars.put("nameserver_heap", quote("128m"));
        vars.put("broker_heap", quote("256m"));
        vars.put("proxy_heap", quote("256m"));
        vars.put("jvm_options", "[\"-XX:+UseSerialGC\"]");
        vars.put(
                "broker_properties",
                "{ mappedFileSizeCommitLog = \"67108864\", mappedFileSizeConsumeQueue = \"600000\" }");
        vars.put("topic_name", quote(otherTopic));
        vars.put("topic_queue_nums", "4");
        vars.put("authentication_enabled", "true");
        vars.put("proxy_enabled", "true");
        vars.put("app_enabled", "true");
        vars.put("app_topic_name", quote(appTopic));
        vars.put("app_group_name", quote(appGroup));
        vars.put("app_username", quote(APP));
        vars.put("app_retry_max_times", "3");
        vars.put("app_password_version", "1");
        vars.put("app_allow_publish", "true");
        writeVars();

        ExecResult init = terraform.init();
        assertThat(init.exitCode()).as(init.describe()).isZero();
    }

    @AfterAll
    void destroyAndTakeHostsDown() {
        SuiteTeardown.run(terraform, hosts, admin == null ? null : (AutoCloseable) admin::shutdown);
    }

    @Test
    @Order(1)
    void apply_startsAnAuthenticatedClusterWithProxiesAndTheApplicationsAccess() throws Exception {
        Path trace = workdir.resolve("apply-1.trace.log");
        ExecResult apply = terraform.run(
                Map.of("TF_LOG", "trace", "TF_LOG_PATH", trace.toString()),
                Terraform.APPLY_TIMEOUT,
                "apply",
                "-no-color",
                "-input=false",
                "-auto-approve");
        secretBearingOutputs.add(trace);
        assertThat(apply.exitCode()).as(apply.describe()).isZero();

        StateJson state = terraform.state();
        assertThat(state.resource(GROUP_ADDRESS).strings("broker_names")).containsExactly("broker-a", "broker-b");
        assertThat(state.resource(USER_ADDRESS).strings("brokers"))
                .as("the user on all four brokers, masters and slaves")
                .hasSize(4);
        assertThat(state.resource(USER_ADDRESS).isNull("password"))
                .as("write-only password in state")
                .isTrue();
        assertThat(state.resource(ACL_ADDRESS).strings("brokers")).hasSize(4);
        for (int i = 1; i <= 2; i++) {
            StateJson.Resource proxy =
                    state.resource("module.cluster.rocketmq_proxy.this[\"" + hosts.address(i) + "\"]");
            assertThat(proxy.string("state")).isEqualTo("running");
            assertThat(proxy.string("address")).isEqualTo(hosts.address(i) + ":8081");
        }
        for (String master : masters()) {
            SubscriptionGroupConfig g = admin().examineSubscriptionGroupConfig(master, appGroup);
            assertThat(g).as("group on master %s", master).isNotNull();
            assertThat(g.getRetryMaxTimes()).as("retry_max_times on %s", master).isEqualTo(3);
        }
    }

    @Test
    @Order(2)
    void brokers_letTheUserPublishToItsTopicOnly_andRefuseClientsWithoutCredentials() {
        User app = new User(APP, appPassword);
        assertThat(SignedClients.trySend(nameServers(), appTopic, null))
                .as("a client without credentials is refused")
                .isNotNull();
        assertThat(SignedClients.trySend(nameServers(), appTopic, new User(APP, "wrong-password-1")))
                .as("a wrong password is refused")
                .isNotNull();
        assertThat(SignedClients.trySend(nameServers(), otherTopic, app))
                .as("the user may not publish to a topic its ACL does not name")
                .isNotNull();
        List<String> sent = SignedClients.send(nameServers(), appTopic, app, 10);
        Set<String> received =
                SignedClients.receive(nameServers(), appTopic, appGroup, app, Set.copyOf(sent), DELIVERY);
        assertThat(received).as("consumed with group %s", appGroup).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    @Order(3)
    void proxy_roundTripsMessagesForTheUserWithARocketMq5Client_andRefusesOthers() throws Exception {
        User app = new User(APP, appPassword);
        String endpoint = hosts.address(1) + ":8081";
        SignedClients.RoundTrip trip = SignedClients.roundTripThroughProxy(
                endpoint, hosts.address(2) + ":8081", appTopic, appGroup, app, 5, DELIVERY);
        assertThat(trip.received())
                .as("sent through the proxy on h1, received through the proxy on h2")
                .containsExactlyInAnyOrderElementsOf(trip.sent());
        assertRefused(() -> SignedClients.sendThroughProxy(endpoint, appTopic, null, 1), "no credentials");
        assertRefused(
                () -> SignedClients.sendThroughProxy(endpoint, appTopic, new User(APP, "wrong-password-1"), 1),
                "a wrong password");
        assertRefused(() -> SignedClients.sendThroughProxy(endpoint, otherTopic, app, 1), "a topic not allowed");
    }

    @Test
    @Order(4)
    void proxy_foundDead_isPlannedAndStartedAgain_andServesAgain() throws Exception {
        String address = "module.cluster.rocketmq_proxy.this[\"" + hosts.address(2) + "\"]";
        long pid = terraform.state().resource(address).number("pid");
        hosts.kill9(2, pid);
        Await.until("proxy pid " + pid + " gone", Duration.ofSeconds(10), () -> !hosts.isAlive(2, pid));

        PlanJson plan = terraform.planJson();
        assertThat(plan.actions(address)).as(plan.describe()).containsExactly("update");
        assertThat(plan.before(address, "state").getAsString()).isEqualTo("stopped");
        assertThat(plan.after(address, "state").getAsString()).isEqualTo("running");
        ExecResult apply = terraform.apply();
        assertThat(apply.exitCode()).as(apply.describe()).isZero();

        long restarted = terraform.state().resource(address).number("pid");
        assertThat(restarted).isNotEqualTo(pid);
        assertThat(hosts.isAlive(2, restarted)).isTrue();
        assertThat(SignedClients.sendThroughProxy(hosts.address(2) + ":8081", appTopic, new User(APP, appPassword), 1))
                .hasSize(1);
    }

    @Test
    @Order(5)
    void consumerGroup_changesInPlace_isRepairedAfterAnOutOfBandDelete_andImportsClean() throws Exception {
        vars.put("app_retry_max_times", "5");
        writeVars();
        PlanJson change = terraform.planJson();
        assertThat(change.actions(GROUP_ADDRESS)).as(change.describe()).containsExactly("update");
        ExecResult apply = terraform.apply();
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        for (String master : masters()) {
            assertThat(admin().examineSubscriptionGroupConfig(master, appGroup).getRetryMaxTimes())
                    .isEqualTo(5);
        }

        String brokerB = admin().examineBrokerClusterInfo()
                .getBrokerAddrTable()
                .get("broker-b")
                .getBrokerAddrs()
                .get(0L);
        // A client that still heartbeats in the group (a proxy keeps the 5.x consumers' channels of the round trip
        // above for a while) makes broker-b create the group again on its own: delete until a refresh sees it gone.
        PlanJson repair = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            admin().deleteSubscriptionGroup(brokerB, appGroup, true);
            repair = terraform.planJson();
            if (repair.before(GROUP_ADDRESS, "broker_names").toString().equals("[\"broker-a\"]")) {
                break;
            }
            Thread.sleep(1_000);
        }
        assertThat(repair.actions(GROUP_ADDRESS)).as(repair.describe()).containsExactly("update");
        assertThat(repair.before(GROUP_ADDRESS, "broker_names").toString()).isEqualTo("[\"broker-a\"]");
        assertThat(repair.after(GROUP_ADDRESS, "broker_names").toString()).isEqualTo("[\"broker-a\",\"broker-b\"]");
        assertThat(repair.describe()).contains("missing on broker-b");
        apply = terraform.apply();
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        assertThat(admin().examineSubscriptionGroupConfig(brokerB, appGroup).getRetryMaxTimes())
                .isEqualTo(5);

        ExecResult rm = terraform.stateRm(GROUP_ADDRESS);
        assertThat(rm.exitCode()).as(rm.describe()).isZero();
        ExecResult imported = terraform.importResource(GROUP_ADDRESS, "DefaultCluster/" + appGroup);
        assertThat(imported.exitCode()).as(imported.describe()).isZero();
        ExecResult plan = terraform.plan();
        assertThat(plan.exitCode())
                .as("no changes after import\n%s", plan.describe())
                .isZero();
    }

    @Test
    @Order(6)
    void dataSource_reportsTheGroupsSettingsConsumersAndLag() throws IOException {
        Path dir = Files.createDirectories(workdir.resolve("readback"));
        Terraform readback = Terraform.in(dir)
                .withEnvironment("ROCKETMQ_ACCESS_KEY", ADMIN)
                .withEnvironment("ROCKETMQ_SECRET_KEY", adminSecret);
        readback.writeConfig(dev.tfrocketmq.acceptance.harness.Hcl.requiredProvider() + "\n"
                + "provider \"rocketmq\" {\n  name_servers = " + "[\"" + hosts.address(1) + ":9876\"]\n}\n"
                + "data \"rocketmq_consumer_group\" \"g\" {\n  name = " + quote(appGroup) + "\n}\n"
                + "output \"g\" {\n  value = data.rocketmq_consumer_group.g\n}\n");
        ExecResult init = readback.init();
        assertThat(init.exitCode()).as(init.describe()).isZero();
        ExecResult apply = readback.apply();
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        ExecResult out = readback.run(Terraform.STATE_TIMEOUT, "output", "-no-color", "-json", "g");
        assertThat(out.exitCode()).as(out.describe()).isZero();
        var g = com.google.gson.JsonParser.parseString(out.stdout()).getAsJsonObject();
        assertThat(g.get("retry_max_times").getAsInt()).isEqualTo(5);
        assertThat(g.get("broker_names").getAsJsonArray()).hasSize(2);
        assertThat(g.get("lag").getAsLong()).as("lag of %s", g).isGreaterThanOrEqualTo(0);
        assertThat(g.get("consumers").isJsonArray()).isTrue();
    }

    @Test
    @Order(7)
    void password_rotatesWithItsVersion_theOldOneIsRefused() {
        String old = appPassword;
        appPassword = "usr-" + marker + "-two";
        terraform.withEnvironment("TF_VAR_app_password", appPassword);
        vars.put("app_password_version", "2");
        writeVars();
        ExecResult apply = terraform.apply();
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        assertThat(SignedClients.trySend(nameServers(), appTopic, new User(APP, old)))
                .as("the old password after rotation")
                .isNotNull();
        assertThat(SignedClients.trySend(nameServers(), appTopic, new User(APP, appPassword)))
                .as("the new password")
                .isNull();
    }

    @Test
    @Order(8)
    void revokingPublishWithApply_makesTheNextSendFail() {
        vars.put("app_allow_publish", "false");
        writeVars();
        ExecResult apply = terraform.apply();
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        Await.until(
                "a send refused after the ACL lost Pub",
                Duration.ofSeconds(30),
                () -> SignedClients.trySend(nameServers(), appTopic, new User(APP, appPassword)) != null);
    }

    @Test
    @Order(9)
    void wrongAdminCredentials_areAClearErrorAtPlan_neverAGoneResource() throws IOException {
        Path stateFile = workdir.resolve("cluster/terraform.tfstate");
        String before = Files.readString(stateFile);
        ExecResult plan = terraform.run(
                Map.of("ROCKETMQ_SECRET_KEY", "not-the-admin-secret"),
                Terraform.PLAN_TIMEOUT,
                "plan",
                "-no-color",
                "-input=false",
                "-detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.describe()).isEqualTo(1);
        assertThat(plan.output())
                .contains("access_key")
                .contains("secret_key")
                .doesNotContain("will be created")
                .doesNotContain("has been deleted");
        assertThat(Files.readString(stateFile)).as("state untouched").isEqualTo(before);
    }

    @Test
    @Order(10)
    void secrets_appearNowhereButInRocketMqsUserStore() throws IOException {
        Path planFile = workdir.resolve("cluster/secrets.tfplan");
        ExecResult plan =
                terraform.run(Terraform.PLAN_TIMEOUT, "plan", "-no-color", "-input=false", "-out=" + planFile);
        assertThat(plan.exitCode()).as(plan.describe()).isZero();
        ExecResult show = terraform.run(Terraform.STATE_TIMEOUT, "show", "-no-color", "-json", planFile.toString());
        assertThat(show.exitCode()).as(show.describe()).isZero();
        Path planJson = workdir.resolve("plan.json");
        Files.writeString(planJson, show.stdout());
        List<Path> checked = new ArrayList<>(secretBearingOutputs);
        checked.add(planJson);
        checked.add(workdir.resolve("cluster/terraform.tfstate"));
        try (Stream<Path> exec = Files.list(workdir.resolve("cluster/.exec"))) {
            exec.forEach(checked::add);
        }
        for (int i = 1; i <= 2; i++) {
            try (Stream<Path> files = Files.walk(hosts.fs(i))) {
                files.filter(Files::isRegularFile).filter(p -> !isUserStore(p)).forEach(checked::add);
            }
        }
        List<String> leaks = checked.stream()
                .filter(this::containsMarker)
                .map(Path::toString)
                .toList();
        assertThat(checked).as("files checked").hasSizeGreaterThan(20);
        assertThat(leaks).as("files holding the secret marker %s", marker).isEmpty();
        long inStore = Stream.of(1, 2)
                .flatMap(i -> {
                    try {
                        return Files.walk(hosts.fs(i))
                                .filter(Files::isRegularFile)
                                .filter(ApplicationAccessTest::isUserStore)
                                .toList()
                                .stream();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .filter(this::containsMarker)
                .count();
        assertThat(inStore)
                .as("RocketMQ's user stores hold the passwords (so the check above could find them)")
                .isPositive();
    }

    @Test
    @Order(11)
    void removingTheApplication_makesItsLoginFail_andLeavesNoGroupOnAnyMaster() throws Exception {
        vars.put("app_enabled", "false");
        writeVars();
        ExecResult apply = terraform.apply();
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        Exception refused = SignedClients.trySend(nameServers(), otherTopic, new User(APP, appPassword));
        assertThat(refused).as("login of a removed user").isNotNull();
        assertThat(String.valueOf(refused.getMessage()) + refused.getCause())
                .as("refused as an unknown user")
                .containsAnyOf("not found", "not exist", "User:" + APP);
        for (String master : masters()) {
            assertThat(admin().getAllSubscriptionGroup(master, 5_000).getSubscriptionGroupTable())
                    .as("groups on %s", master)
                    .doesNotContainKey(appGroup);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static boolean isUserStore(Path p) {
        String s = p.toString();
        return s.contains("/store/config/users/") || s.contains("/store/config/acls/");
    }

    private boolean containsMarker(Path p) {
        try {
            byte[] bytes = Files.readAllBytes(p);
            return new String(bytes, StandardCharsets.ISO_8859_1).contains(marker);
        } catch (IOException e) {
            return false;
        }
    }

    private static void assertRefused(ThrowingRunnable call, String what) {
        try {
            call.run();
        } catch (Exception e) {
            return;
        }
        throw new AssertionError("the proxy accepted a send with " + what);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private String nameServers() {
        return hosts.address(1) + ":9876;" + hosts.address(2) + ":9876";
    }

    private List<String> masters() throws Exception {
        return admin().examineBrokerClusterInfo().getBrokerAddrTable().values().stream()
                .map(b -> b.getBrokerAddrs().get(0L))
                .sorted()
                .collect(Collectors.toList());
    }

    private DefaultMQAdminExt admin() throws Exception {
        if (admin == null) {
            admin = new DefaultMQAdminExt(new AclClientRPCHook(new SessionCredentials(ADMIN, adminSecret)), 5_000);
            admin.setNamesrvAddr(nameServers());
            admin.setInstanceName("acc-app-admin-" + System.nanoTime());
            admin.start();
        }
        return admin;
    }

    private void writeVars() {
        StringBuilder sb = new StringBuilder();
        vars.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        try {
            Files.writeString(workdir.resolve("cluster/terraform.tfvars"), sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quote(String s) {
        return dev.tfrocketmq.acceptance.harness.Hcl.string(s);
    }
}
