package dev.tfrocketmq.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.acceptance.harness.FreePorts;
import dev.tfrocketmq.acceptance.harness.Hcl;
import dev.tfrocketmq.acceptance.harness.Processes;
import dev.tfrocketmq.acceptance.harness.Project;
import dev.tfrocketmq.acceptance.harness.Terraform;
import dev.tfrocketmq.acceptance.harness.WorkDir;
import dev.tfrocketmq.testing.ExecResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Configurations the provider must refuse before it touches a host. Each case fails {@code terraform validate}
 * (or, for checks the provider makes while planning, {@code terraform plan}), names the offending attribute, and
 * leaves no trace: no install dir, no process, no file written by an injected command.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
final class BadInputTest {
    /** Files Terraform and this harness may leave in the working directory. */
    private static final Set<String> EXPECTED_ENTRIES = Set.of(
            "main.tf",
            "cli.tfrc",
            "commands.log",
            "terraform.log",
            ".terraform",
            ".terraform.lock.hcl",
            ".exec",
            "tfplan",
            "terraform.tfstate",
            ".terraform.tfstate.lock.info");

    private Path workdir;
    private Path installDir;
    private Path pwned;
    private int nameServerPort;
    private int brokerPort;
    private Terraform terraform;

    @BeforeAll
    void initOnce() {
        Project.requirePackaged();
        workdir = WorkDir.create("bad-input");
        installDir = workdir.resolve("rmq");
        pwned = workdir.resolve("pwned");
        int base = FreePorts.block(12);
        nameServerPort = base;
        brokerPort = base + 10;
        terraform = Terraform.in(workdir);
        terraform.writeConfig(config(UnaryOperator.identity()));
        ExecResult init = terraform.init();
        assertThat(init.exitCode()).as(init.describe()).isZero();
    }

    @AfterEach
    void removeTraces() {
        // keeps one faulty case from failing all the cases after it
        Processes.runningFrom(workdir).forEach(p -> Processes.kill9(p.pid()));
        deleteRecursively(installDir);
        deleteRecursively(pwned);
        deleteRecursively(workdir.resolve("tfplan"));
    }

    @AfterAll
    void killLeftovers() {
        if (workdir != null) {
            Processes.killAllFrom(workdir);
        }
    }

    @Test
    void minimalConfiguration_validatesAndPlansWithoutTouchingTheHost() {
        terraform.writeConfig(config(UnaryOperator.identity()));
        ExecResult validate = terraform.validate();
        assertThat(validate.exitCode()).as(validate.describe()).isZero();
        ExecResult plan = terraform.plan();
        assertThat(plan.exitCode())
                .as("plan shows the three resources to create\n%s", plan.describe())
                .isEqualTo(2);
        assertNothingExecuted(plan);
    }

    @Test
    void everyStringAttribute_acceptsSafeValues() {
        terraform.writeConfig(fullConfig(UnaryOperator.identity()));
        ExecResult validate = terraform.validate();
        assertThat(validate.exitCode())
                .as("every attribute set to a plain, valid value passes validation\n%s", validate.describe())
                .isZero();
        assertNothingExecuted(validate);
    }

    @Test
    void broker_rejectsSlaveIdWithMasterRole() {
        assertRejected(
                config(b -> b.broker(x -> x.with("broker_id", "1").withString("broker_role", "ASYNC_MASTER"))),
                "broker_id",
                "broker_role");
    }

    @Test
    void broker_rejectsMasterIdWithSlaveRole() {
        assertRejected(
                config(b -> b.broker(x -> x.with("broker_id", "0").withString("broker_role", "SLAVE"))),
                "broker_id",
                "broker_role");
    }

    @Test
    void broker_rejectsUnknownFlushDiskType() {
        assertRejected(config(b -> b.broker(x -> x.withString("flush_disk_type", "SOMETIMES"))), "flush_disk_type");
    }

    @Test
    void broker_rejectsUnknownRole() {
        assertRejected(config(b -> b.broker(x -> x.withString("broker_role", "LEADER"))), "broker_role");
    }

    @Test
    void broker_rejectsListenPortAbove65535() {
        assertRejected(config(b -> b.broker(x -> x.with("listen_port", "70000"))), "listen_port");
    }

    @Test
    void broker_rejectsListenPortWithoutRoomForTheFastPortBelowIt() {
        assertRejected(config(b -> b.broker(x -> x.with("listen_port", "1"))), "listen_port");
    }

    @Test
    void broker_rejectsTypedKeyInProperties() {
        assertRejected(
                config(b -> b.broker(x -> x.with("properties", Hcl.map(Map.of("listenPort", "10911"))))), "properties");
    }

    @Test
    void broker_rejectsAKeyRocketMqWouldIgnoreAndSuggestsTheRightOne() {
        assertRejected(
                config(b ->
                        b.broker(x -> x.with("properties", Hcl.map(Map.of("mappedFileSizeCommitlog", "67108864"))))),
                "mappedFileSizeCommitLog");
    }

    @Test
    void broker_rejectsRelativeInstallDir() {
        assertRejected(config(b -> b.broker(x -> x.withString("install_dir", "relative/rmq"))), "install_dir");
    }

    @Test
    void nameserver_rejectsListenPortInProperties() {
        assertRejected(
                config(b -> b.nameserver(x -> x.with("properties", Hcl.map(Map.of("listenPort", "1234"))))),
                "listen_port");
    }

    @Test
    void broker_rejectsStorePathWithDotDotSegments() {
        assertRejected(
                config(b -> b.broker(x -> x.withString("store_path_root_dir", "/srv/rocketmq/../../etc"))),
                "store_path_root_dir");
    }

    @Test
    void nameserver_rejectsAUrlWithoutChecksumWithoutShowingItsPassword() {
        String url = "https://deploy:s3cr3t-pw@downloads.example.com/rocketmq-all-5.3.3-bin-release.zip";
        terraform.writeConfig(config(b -> b.nameserver(x -> x.withString("distribution", url))));
        ExecResult plan = terraform.plan();
        assertThat(plan.exitCode()).as(plan.describe()).isEqualTo(1);
        assertThat(plan.output()).contains("distribution_sha256").doesNotContain("s3cr3t-pw");
        assertNothingExecuted(plan);
    }

    @Test
    void nameserver_rejectsListenPortAbove65535() {
        assertRejected(config(b -> b.nameserver(x -> x.with("listen_port", "70000"))), "listen_port");
    }

    @Test
    void topic_rejectsNameWithSpaceAndPunctuation() {
        assertRejected(config(b -> b.topic(x -> x.withString("name", "bad topic!"))), "name");
    }

    @Test
    void topic_rejectsNameLongerThan127Characters() {
        assertRejected(config(b -> b.topic(x -> x.withString("name", "t".repeat(128)))), "name");
    }

    @Test
    void topic_acceptsNameOfExactly127Characters() {
        terraform.writeConfig(config(b -> b.topic(x -> x.withString("name", "t".repeat(127)))));
        ExecResult validate = terraform.validate();
        assertThat(validate.exitCode()).as(validate.describe()).isZero();
    }

    @Test
    void topic_rejectsSystemTopicName() {
        assertRejected(config(b -> b.topic(x -> x.withString("name", "TBW102"))), "name");
    }

    @Test
    void topic_rejectsPermFive() {
        assertRejected(config(b -> b.topic(x -> x.with("perm", "5"))), "perm");
    }

    @Test
    void topic_rejectsUnknownMessageType() {
        assertRejected(config(b -> b.topic(x -> x.withString("message_type", "URGENT"))), "message_type");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shellMetacharacterCases")
    void anyStringAttribute_rejectsShellMetacharacters(Injection injection) {
        assertRejected(config(injection::apply), injection.attribute());
    }

    /** One string attribute, or one element, key or value inside it, set to a value that tries to run a command. */
    record Injection(String block, String attribute, String part, String template) {
        static final String PWNED = "@PWNED@";
        static final String WORKDIR = "@WORKDIR@";
        static final String ARCHIVE = "@ARCHIVE@";
        static final String NAME_SERVER = "@NAMESERVER@";

        /** Sets the attribute in this case's block of the minimal configuration. */
        Blocks apply(Blocks blocks) {
            UnaryOperator<Hcl.Block> change = b -> b.with(attribute, expression());
            return switch (block) {
                case "provider" -> blocks.provider(change);
                case "rocketmq_nameserver" -> blocks.nameserver(change);
                case "rocketmq_broker" -> blocks.broker(change);
                case "rocketmq_topic" -> blocks.topic(change);
                default -> throw new IllegalArgumentException(block);
            };
        }

        /** The HCL expression, still holding placeholders that {@link BadInputTest#config} fills in. */
        String expression() {
            return switch (part) {
                case "value" -> Hcl.string(template);
                case "element" -> Hcl.list(template);
                case "map key" -> Hcl.map(Map.of(template, "1"));
                default -> {
                    if (part.startsWith("map value of ")) {
                        yield Hcl.map(Map.of(part.substring("map value of ".length()), template));
                    }
                    throw new IllegalArgumentException(part);
                }
            };
        }

        @Override
        public String toString() {
            String shown = template.replace("\n", "\\n");
            return block + "." + attribute + ("value".equals(part) ? "" : " (" + part + ")") + " = " + shown;
        }
    }

    static Stream<Injection> shellMetacharacterCases() {
        String semicolon = "; touch " + Injection.PWNED;
        String substitution = "$(touch " + Injection.PWNED + ")";
        String backticks = "`touch " + Injection.PWNED + "`";
        String newline = "\ntouch " + Injection.PWNED;
        String and = " && touch " + Injection.PWNED;
        String pipe = "|touch " + Injection.PWNED;
        String singleQuote = "'; touch " + Injection.PWNED + "; echo '";
        String doubleQuote = "\"; touch " + Injection.PWNED + "; echo \"";
        String installDir = Injection.WORKDIR + "/rmq";
        String archive = Injection.ARCHIVE;
        String nameServer = "127.0.0.1:" + Injection.NAME_SERVER;
        List<Injection> cases = new ArrayList<>();

        cases.add(new Injection("provider", "name_servers", "element", nameServer + substitution));
        cases.add(new Injection("provider", "java_home", "value", "/usr/lib/jvm/x" + backticks));

        for (String block : List.of("rocketmq_nameserver", "rocketmq_broker")) {
            boolean ns = block.equals("rocketmq_nameserver");
            cases.add(new Injection(block, "install_dir", "value", installDir + (ns ? semicolon : substitution)));
            cases.add(new Injection(block, "distribution", "value", archive + (ns ? substitution : semicolon)));
            cases.add(new Injection(block, "distribution_sha256", "value", ns ? backticks : "0a" + newline));
            cases.add(new Injection(block, "java_home", "value", "/opt/java" + (ns ? newline : singleQuote)));
            cases.add(new Injection(block, "jvm_heap", "value", "256m" + (ns ? and : backticks)));
            cases.add(new Injection(block, "jvm_options", "element", "-Dx=" + (ns ? substitution : doubleQuote)));
            cases.add(new Injection(block, "properties", "map key", "a" + (ns ? semicolon : substitution)));
            cases.add(new Injection(
                    block,
                    "properties",
                    "map value of " + (ns ? "defaultThreadPoolNums" : "maxMessageSize"),
                    "8" + (ns ? singleQuote : pipe)));
            cases.add(new Injection(block, "state", "value", "running" + (ns ? pipe : newline)));
        }

        String broker = "rocketmq_broker";
        cases.add(new Injection(broker, "broker_name", "value", "broker-a" + substitution));
        cases.add(new Injection(broker, "cluster_name", "value", "DefaultCluster" + semicolon));
        cases.add(new Injection(broker, "broker_ip1", "value", "127.0.0.1" + backticks));
        cases.add(new Injection(broker, "store_path_root_dir", "value", Injection.WORKDIR + "/store" + newline));
        cases.add(new Injection(broker, "store_path_commit_log", "value", Injection.WORKDIR + "/commitlog" + and));
        cases.add(new Injection(broker, "delete_when", "value", "04" + semicolon));
        cases.add(new Injection(broker, "name_servers", "element", nameServer + semicolon));
        cases.add(new Injection(broker, "broker_role", "value", "ASYNC_MASTER" + pipe));
        cases.add(new Injection(broker, "flush_disk_type", "value", "ASYNC_FLUSH" + substitution));

        String topic = "rocketmq_topic";
        cases.add(new Injection(topic, "name", "value", "acc_topic" + substitution));
        cases.add(new Injection(topic, "cluster_name", "value", "DefaultCluster" + backticks));
        cases.add(new Injection(topic, "message_type", "value", "NORMAL" + semicolon));
        cases.add(new Injection(topic, "name_servers", "element", nameServer + newline));
        return cases.stream();
    }

    /** The four blocks of a configuration, each changeable on its own. */
    record Blocks(Hcl.Block provider, Hcl.Block nameserver, Hcl.Block broker, Hcl.Block topic) {
        Blocks provider(UnaryOperator<Hcl.Block> change) {
            return new Blocks(change.apply(provider), nameserver, broker, topic);
        }

        Blocks nameserver(UnaryOperator<Hcl.Block> change) {
            return new Blocks(provider, change.apply(nameserver), broker, topic);
        }

        Blocks broker(UnaryOperator<Hcl.Block> change) {
            return new Blocks(provider, nameserver, change.apply(broker), topic);
        }

        Blocks topic(UnaryOperator<Hcl.Block> change) {
            return new Blocks(provider, nameserver, broker, change.apply(topic));
        }

        String render() {
            return Hcl.requiredProvider() + "\n" + provider.render() + "\n" + nameserver.render() + "\n"
                    + broker.render() + "\n" + topic.render();
        }
    }

    /** The smallest valid configuration with all three resources, changed by {@code change}. */
    private String config(UnaryOperator<Blocks> change) {
        String nameServer = "127.0.0.1:" + nameServerPort;
        Blocks minimal = new Blocks(
                Hcl.Block.provider("rocketmq").with("name_servers", Hcl.list(nameServer)),
                Hcl.Block.resource("rocketmq_nameserver", "ns")
                        .withString("install_dir", installDir.toString())
                        .with("listen_port", Integer.toString(nameServerPort))
                        .withString("distribution", Project.runtimeArchive().toString()),
                Hcl.Block.resource("rocketmq_broker", "b")
                        .withString("install_dir", installDir.toString())
                        .withString("distribution", Project.runtimeArchive().toString())
                        .withString("broker_name", "broker-a")
                        .with("name_servers", Hcl.list(nameServer))
                        .with("listen_port", Integer.toString(brokerPort)),
                Hcl.Block.resource("rocketmq_topic", "t").withString("name", "acc_bad_input"));
        return fillPlaceholders(change.apply(minimal).render());
    }

    /** The minimal configuration with every optional string attribute set to a plain, valid value. */
    private String fullConfig(UnaryOperator<Blocks> change) {
        String javaHome = Path.of(System.getProperty("java.home"))
                .toAbsolutePath()
                .normalize()
                .toString();
        String nameServer = "127.0.0.1:" + nameServerPort;
        return config(blocks -> change.apply(blocks.provider(p -> p.withString("java_home", javaHome))
                .nameserver(n -> n.withString("java_home", javaHome)
                        .withString("jvm_heap", "128m")
                        .with("jvm_options", Hcl.list("-XX:+UseSerialGC", "-Dacc.flag=a:b"))
                        .with("properties", Hcl.map(Map.of("orderMessageEnable", "true")))
                        .withString("state", "running"))
                .broker(b -> b.withString("java_home", javaHome)
                        .withString("jvm_heap", "256m")
                        .with("jvm_options", Hcl.list("-XX:+UseSerialGC", "-XX:MaxDirectMemorySize=256m"))
                        .with("properties", Hcl.map(Map.of("maxMessageSize", "4194304")))
                        .withString("state", "running")
                        .withString("cluster_name", "DefaultCluster")
                        .with("broker_id", "0")
                        .withString("broker_role", "ASYNC_MASTER")
                        .withString("flush_disk_type", "ASYNC_FLUSH")
                        .withString("broker_ip1", "127.0.0.1")
                        .withString(
                                "store_path_root_dir",
                                installDir.resolve("store").toString())
                        .withString(
                                "store_path_commit_log",
                                installDir.resolve("store/commitlog").toString())
                        .withString("delete_when", "04")
                        .with("file_reserved_time", "48"))
                .topic(t -> t.withString("cluster_name", "DefaultCluster")
                        .with("name_servers", Hcl.list(nameServer))
                        .with("read_queue_nums", "4")
                        .with("write_queue_nums", "4")
                        .with("perm", "6")
                        .with("order", "false")
                        .withString("message_type", "NORMAL"))));
    }

    private String fillPlaceholders(String hcl) {
        return hcl.replace(Injection.PWNED, pwned.toString())
                .replace(Injection.WORKDIR, workdir.toString())
                .replace(Injection.ARCHIVE, Project.runtimeArchive().toString())
                .replace(Injection.NAME_SERVER, Integer.toString(nameServerPort));
    }

    /**
     * Validates, and plans when validation passes; one of the two must fail, name one of {@code attributes}, and
     * leave no trace.
     */
    private void assertRejected(String mainTf, String... attributes) {
        terraform.writeConfig(mainTf);
        ExecResult result = terraform.validate();
        if (result.exitCode() == 0 && !result.timedOut()) {
            result = terraform.plan();
        }
        assertThat(result.timedOut()).as(result.describe()).isFalse();
        assertThat(result.exitCode())
                .as("the configuration should be rejected\n--- main.tf ---\n%s\n%s", mainTf, result.describe())
                .isEqualTo(1);
        assertThat(namesAnyOf(result.output(), attributes))
                .as("the error names %s\n%s", String.join(" or ", attributes), result.describe())
                .isTrue();
        assertNothingExecuted(result);
    }

    private static boolean namesAnyOf(String output, String... attributes) {
        for (String attribute : attributes) {
            if (Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(attribute) + "(?![A-Za-z0-9_])")
                    .matcher(output)
                    .find()) {
                return true;
            }
        }
        return false;
    }

    private void assertNothingExecuted(ExecResult after) {
        assertThat(pwned).as("an injected command ran\n%s", after.describe()).doesNotExist();
        assertThat(installDir)
                .as("install_dir was created although nothing was applied\n%s", after.describe())
                .doesNotExist();
        assertThat(Processes.runningFrom(workdir))
                .as("processes started from %s", workdir)
                .isEmpty();
        assertThat(entries(workdir)).as("files written into %s", workdir).isSubsetOf(EXPECTED_ENTRIES);
    }

    private static List<String> entries(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}
