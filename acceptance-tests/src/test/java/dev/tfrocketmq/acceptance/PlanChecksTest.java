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
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What a plan knows before anything runs, on this machine (nothing is applied): the components of one configuration
 * checked against each other (ports, directories, broker names and ids, a slave's master), and each distribution's
 * own key list, version and the way to pass a key it lacks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
final class PlanChecksTest {
    private Path workdir;
    private Path installDir;
    private Terraform terraform;
    private int nameServerPort;
    private int port;

    @BeforeAll
    void init() {
        Project.requirePackaged();
        workdir = WorkDir.create("plan-checks");
        installDir = workdir.resolve("rmq");
        int base = FreePorts.block(30);
        nameServerPort = base;
        port = base + 10;
        terraform = Terraform.in(workdir);
        terraform.writeConfig(
                config(Project.runtimeArchive(), List.of(broker("a", "broker-a", 0, port, UnaryOperator.identity()))));
        ExecResult init = terraform.init();
        assertThat(init.exitCode()).as(init.describe()).isZero();
    }

    @AfterEach
    void nothingWasStartedOrInstalled() {
        assertThat(Processes.runningFrom(workdir))
                .as("processes started from %s", workdir)
                .isEmpty();
        assertThat(installDir).as("install_dir").doesNotExist();
    }

    @Test
    void aSlaveOnItsMastersFastPort_failsAtPlanNamingBothBrokersAndThePort() {
        ExecResult plan = plan(
                broker("m", "broker-a-master", 0, port, UnaryOperator.identity()),
                broker("s", "broker-b-slave", 1, port - 2, UnaryOperator.identity()));
        assertThat(plan.exitCode()).as(plan.describe()).isEqualTo(1);
        assertThat(plan.output())
                .as(plan.describe())
                .contains("Port " + (port - 2))
                .contains("broker-a-master", "broker-b-slave", "listen_port-2");
    }

    @Test
    void aBrokerOnTheNameServersPort_failsAtPlan() {
        // its fast channel, listen_port-2, is the name server's port
        ExecResult plan = plan(broker("a", "broker-a", 0, nameServerPort + 2, UnaryOperator.identity()));
        assertThat(plan.exitCode()).as(plan.describe()).isEqualTo(1);
        assertThat(plan.output()).as(plan.describe()).contains("Port " + nameServerPort, "rocketmq_nameserver");
    }

    @Test
    void twoBrokersWithOneNameAndIdInACluster_failAtPlan() {
        ExecResult plan = plan(
                broker("a", "broker-a", 1, port, UnaryOperator.identity()),
                broker("b", "broker-a", 1, port + 10, UnaryOperator.identity()),
                broker("m", "broker-a", 0, port + 20, UnaryOperator.identity()));
        assertThat(plan.exitCode()).as(plan.describe()).isEqualTo(1);
        assertThat(plan.output()).as(plan.describe()).contains("broker_id 1", "declared twice", "broker_id");
    }

    @Test
    void twoBrokersInOneStoreDirectory_failAtPlan() {
        String store = installDir.resolve("shared-store").toString();
        ExecResult plan = plan(
                broker("a", "broker-a", 0, port, b -> b.withString("store_path_root_dir", store)),
                broker("b", "broker-b", 0, port + 10, b -> b.withString("store_path_root_dir", store)));
        assertThat(plan.exitCode()).as(plan.describe()).isEqualTo(1);
        assertThat(plan.output())
                .as(plan.describe())
                .contains("Two components in one directory", "store_path_root_dir", store);
    }

    @Test
    void aSlaveWithoutAMasterInTheConfiguration_isAWarning() {
        ExecResult plan = plan(broker("s", "broker-x", 1, port, UnaryOperator.identity()));
        assertThat(plan.exitCode()).as(plan.describe()).isEqualTo(2);
        assertThat(plan.output()).as(plan.describe()).contains("No master of broker group broker-x");
    }

    @Test
    void eachDistributionIsCheckedAgainstItsOwnKeyList() {
        UnaryOperator<Hcl.Block> fourOnly =
                b -> b.with("properties", Hcl.map(Map.of("haSlaveFallbehindMax", "268435456")));
        ExecResult on497 = plan(Project.runtimeArchive("4.9.7"), List.of(broker("a", "broker-a", 0, port, fourOnly)));
        assertThat(on497.exitCode())
                .as("4.9.7 reads haSlaveFallbehindMax\n%s", on497.describe())
                .isEqualTo(2);

        ExecResult on550 = plan(Project.runtimeArchive("5.5.0"), List.of(broker("a", "broker-a", 0, port, fourOnly)));
        assertThat(on550.exitCode()).as("5.5.0 does not\n%s", on550.describe()).isEqualTo(1);
        assertThat(on550.output())
                .as(on550.describe())
                .contains("RocketMQ 5.5.0 has no broker setting named haSlaveFallbehindMax", "unchecked_keys");

        ExecResult unchecked = plan(
                Project.runtimeArchive("5.5.0"),
                List.of(broker(
                        "a",
                        "broker-a",
                        0,
                        port,
                        b -> fourOnly.apply(b).with("unchecked_keys", Hcl.list("haSlaveFallbehindMax")))));
        assertThat(unchecked.exitCode())
                .as("a key named in unchecked_keys passes\n%s", unchecked.describe())
                .isEqualTo(2);
    }

    @Test
    void aVersionWithoutKeyLists_isAWarningNotAnError() throws IOException {
        Path archive = workdir.resolve("rocketmq-all-5.1.4-bin-release.zip");
        try (OutputStream out = Files.newOutputStream(archive);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String jar : List.of("rocketmq-broker-5.1.4.jar", "rocketmq-namesrv-5.1.4.jar")) {
                zip.putNextEntry(new ZipEntry("rocketmq-all-5.1.4-bin-release/lib/" + jar));
                zip.closeEntry();
            }
        }
        ExecResult plan = plan(
                archive,
                List.of(broker("a", "broker-a", 0, port, b -> b.with("properties", Hcl.map(Map.of("someKey", "1"))))));
        assertThat(plan.exitCode()).as(plan.describe()).isEqualTo(2);
        assertThat(plan.output())
                .as(plan.describe())
                .contains("RocketMQ 5.1.4 is not a version this provider knows")
                .contains("rocketmq_version")
                .contains("5.1.4");
    }

    private ExecResult plan(Hcl.Block... brokers) {
        return plan(Project.runtimeArchive(), List.of(brokers));
    }

    private ExecResult plan(Path archive, List<Hcl.Block> brokers) {
        terraform.writeConfig(config(archive, brokers));
        return terraform.plan();
    }

    private Hcl.Block broker(String name, String brokerName, int id, int listenPort, UnaryOperator<Hcl.Block> change) {
        return change.apply(Hcl.Block.resource("rocketmq_broker", name)
                .withString("install_dir", installDir.toString())
                .withString("distribution", "@ARCHIVE@")
                .withString("broker_name", brokerName)
                .with("broker_id", Integer.toString(id))
                .with("name_servers", "[rocketmq_nameserver.ns.address]")
                .with("listen_port", Integer.toString(listenPort)));
    }

    private String config(Path archive, List<Hcl.Block> brokers) {
        List<String> blocks = new ArrayList<>();
        blocks.add(Hcl.requiredProvider());
        blocks.add(Hcl.Block.resource("rocketmq_nameserver", "ns")
                .withString("install_dir", installDir.toString())
                .withString("distribution", "@ARCHIVE@")
                .with("listen_port", Integer.toString(nameServerPort))
                .render());
        brokers.forEach(b -> blocks.add(b.render()));
        return String.join("\n", blocks).replace("@ARCHIVE@", archive.toString());
    }
}
