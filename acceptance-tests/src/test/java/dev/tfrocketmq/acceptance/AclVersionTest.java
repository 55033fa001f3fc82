package dev.tfrocketmq.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.acceptance.harness.FreePorts;
import dev.tfrocketmq.acceptance.harness.Hcl;
import dev.tfrocketmq.acceptance.harness.Processes;
import dev.tfrocketmq.acceptance.harness.Project;
import dev.tfrocketmq.acceptance.harness.StopAfterFailedStep;
import dev.tfrocketmq.acceptance.harness.Terraform;
import dev.tfrocketmq.acceptance.harness.WorkDir;
import dev.tfrocketmq.testing.ExecResult;
import java.nio.file.Path;
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
 * RocketMQ 4.x has no ACL 2.0 and no proxy: each resource that needs them says so at plan, naming the version it
 * needs and the one it found, before anything starts. A 4.9.7 archive is read from its jar names; a running 4.9.7
 * cluster from the version its brokers report.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(StopAfterFailedStep.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
final class AclVersionTest {
    private static final String OLD = "4.9.7";

    private Path workdir;
    private Path installDir;
    private Terraform terraform;
    private String nameServer;
    private int nameServerPort;
    private int brokerPort;

    @BeforeAll
    void init() {
        Project.requirePackaged();
        workdir = WorkDir.create("acl-version");
        installDir = workdir.resolve("rmq");
        int base = FreePorts.block(12);
        nameServerPort = base;
        brokerPort = base + 10;
        nameServer = "127.0.0.1:" + nameServerPort;
        terraform = Terraform.in(workdir)
                .withEnvironment("ROCKETMQ_ACCESS_KEY", "accadmin")
                .withEnvironment("ROCKETMQ_SECRET_KEY", "accadmin-secret");
        terraform.writeConfig(cluster(""));
        ExecResult init = terraform.init();
        assertThat(init.exitCode()).as(init.describe()).isZero();
    }

    @AfterAll
    void destroy() {
        try {
            if (terraform != null) {
                terraform.writeConfig(cluster(""));
                ExecResult destroy = terraform.destroy();
                if (!destroy.succeeded()) {
                    System.err.println("teardown: " + destroy.describe());
                }
            }
        } finally {
            if (workdir != null) {
                List<Processes.Info> killed = Processes.killAllFrom(workdir);
                if (!killed.isEmpty()) {
                    System.err.println("teardown: killed leftover processes " + killed);
                }
            }
        }
    }

    @Test
    @Order(1)
    void aBrokerWithAuthenticationOrAProxy_onA4xArchive_failAtPlanNamingTheVersionTheyNeed() {
        terraform.writeConfig(cluster(""
                + Hcl.Block.resource("rocketmq_broker", "auth")
                        .withString("install_dir", installDir.toString())
                        .withString("distribution", Project.runtimeArchive(OLD).toString())
                        .withString("broker_name", "broker-auth")
                        .with("name_servers", Hcl.list(nameServer))
                        .with("listen_port", Integer.toString(brokerPort + 5))
                        .with("authentication_enabled", "true")
                        .render()
                + "\n"
                + Hcl.Block.resource("rocketmq_proxy", "p")
                        .withString("install_dir", installDir.toString())
                        .withString("distribution", Project.runtimeArchive(OLD).toString())
                        .with("name_servers", Hcl.list(nameServer))
                        .render()));
        ExecResult plan = terraform.plan();
        assertThat(plan.exitCode()).as(plan.describe()).isEqualTo(1);
        assertThat(plan.output().replaceAll("\\s+", " "))
                .contains("authentication_enabled needs RocketMQ 5.3.0 or newer")
                .contains("rocketmq_proxy needs RocketMQ 5.0.0 or newer")
                .contains("holds RocketMQ 4.9.7");
        assertThat(Processes.killAllFrom(workdir)).as("nothing was started").isEmpty();
    }

    @Test
    @Order(2)
    void aUserAndAnAcl_onARunning4xCluster_failAtPlanNamingTheBrokersVersion() {
        terraform.writeConfig(cluster(""));
        ExecResult apply = terraform.apply();
        assertThat(apply.exitCode()).as(apply.describe()).isZero();

        terraform.writeConfig(
                cluster(
                        "variable \"pw\" {\n  type      = string\n  ephemeral = true\n  default   = \"a-password-1\"\n}\n"
                                + Hcl.Block.resource("rocketmq_user", "u")
                                        .withString("username", "app")
                                        .with("password", "var.pw")
                                        .render()
                                + "\n"
                                + "resource \"rocketmq_acl\" \"a\" {\n  subject = \"User:app\"\n  policy {\n"
                                + "    resource_type = \"Topic\"\n    resource_name = \"t\"\n    actions = [\"Pub\"]\n  }\n}\n"));
        ExecResult plan = terraform.plan();
        assertThat(plan.exitCode()).as(plan.describe()).isEqualTo(1);
        assertThat(plan.output().replaceAll("\\s+", " "))
                .contains("rocketmq_user needs RocketMQ 5.3.0 or newer")
                .contains("rocketmq_acl needs RocketMQ 5.3.0 or newer")
                .contains("runs RocketMQ 4.9.7");
    }

    private String cluster(String extra) {
        String distribution = Project.runtimeArchive(OLD).toString();
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
                        .withString("jvm_heap", "128m")
                        .render()
                + "\n"
                + Hcl.Block.resource("rocketmq_broker", "b")
                        .withString("install_dir", installDir.toString())
                        .withString("distribution", distribution)
                        .withString("broker_name", "broker-a")
                        .with("name_servers", "[rocketmq_nameserver.ns.address]")
                        .with("listen_port", Integer.toString(brokerPort))
                        .withString("jvm_heap", "256m")
                        .render()
                + "\n"
                + extra;
    }
}
