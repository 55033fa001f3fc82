package dev.tfrocketmq.acceptance.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tfrocketmq.testing.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** The CLI wrapper, checked against Terraform's built-in {@code terraform_data} resource: no provider needed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class TerraformTest {
    private static final String DATA = "terraform_data.d";

    private Terraform terraform;

    @BeforeAll
    void initWithBuiltinResourceOnly() {
        assumeTrue(Terraform.locateBinary().isPresent(), "no terraform or tofu on PATH");
        Path workdir = WorkDir.create("harness-terraform");
        terraform = Terraform.in(workdir, workdir.resolve("no-mirror"));
        terraform.writeConfig(data("a", "t1"));
        ExecResult init = terraform.init();
        assertThat(init.exitCode()).as(init.describe()).isZero();
    }

    @Test
    @Order(1)
    void writesACliConfigThatOnlyMirrorsThisProvider() throws Exception {
        String config = Files.readString(terraform.workdir().resolve("cli.tfrc"));

        assertThat(config)
                .contains("filesystem_mirror")
                .contains("path    = \"" + terraform.workdir().resolve("no-mirror") + "\"")
                .contains("include = [\"registry.terraform.io/tfrocketmq/*\", \"registry.opentofu.org/tfrocketmq/*\"]")
                .contains("exclude = [\"registry.terraform.io/tfrocketmq/*\", \"registry.opentofu.org/tfrocketmq/*\"]");
    }

    @Test
    @Order(2)
    void validate_failsWithTheOffendingLineInTheOutput() {
        terraform.writeConfig("resource \"terraform_data\" \"d\" {\n  nonsense = 1\n}\n");
        ExecResult validate = terraform.validate();
        terraform.writeConfig(data("a", "t1"));

        assertThat(validate.exitCode()).isEqualTo(1);
        assertThat(validate.output()).contains("nonsense = 1");
        assertThat(validate.describe())
                .contains("`" + terraform.binary().getFileName() + " validate -no-color` exited 1")
                .contains("nonsense");
    }

    @Test
    @Order(3)
    void applyThenPlan_reportsNoChanges() {
        ExecResult apply = terraform.apply();
        assertThat(apply.exitCode()).as(apply.describe()).isZero();

        ExecResult plan = terraform.plan();
        assertThat(plan.exitCode()).as(plan.describe()).isZero();
        StateJson.Resource data = terraform.state().resource(DATA);
        assertThat(data.string("input")).isEqualTo("a");
        assertThat(data.isNull("triggers_replace")).isFalse();
    }

    @Test
    @Order(4)
    void planJson_showsAnInPlaceUpdateWithBeforeAndAfter() {
        terraform.writeConfig(data("b", "t1"));

        ExecResult plan = terraform.plan();
        PlanJson json = terraform.planJson();

        assertThat(plan.exitCode()).isEqualTo(2);
        assertThat(json.actions(DATA)).containsExactly("update");
        assertThat(json.before(DATA, "input").getAsString()).isEqualTo("a");
        assertThat(json.after(DATA, "input").getAsString()).isEqualTo("b");
        assertThat(json.addressesWith("delete")).isEmpty();
        assertThat(json.describe()).contains(DATA + " [update]");
        assertThatThrownBy(() -> json.after(DATA, "output"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no known value for output");
    }

    @Test
    @Order(5)
    void planJson_showsAReplacement() {
        terraform.writeConfig(data("b", "t2"));

        PlanJson json = terraform.planJson();

        assertThat(json.actions(DATA)).containsExactly("delete", "create");
        assertThat(json.addressesWith("delete")).containsExactly(DATA);
        assertThat(json.replacePaths(DATA)).containsExactly("[\"triggers_replace\"]");
    }

    @Test
    @Order(6)
    void stateRm_forgetsTheResource() {
        ExecResult rm = terraform.stateRm(DATA);

        assertThat(rm.exitCode()).as(rm.describe()).isZero();
        assertThat(terraform.state().addresses()).isEmpty();
        assertThat(terraform.planJson().actions(DATA)).containsExactly("create");
    }

    @Test
    @Order(7)
    void destroy_succeedsAndEveryCallIsLogged() throws Exception {
        terraform.apply();
        ExecResult destroy = terraform.destroy();

        assertThat(destroy.exitCode()).as(destroy.describe()).isZero();
        assertThat(terraform.state().addresses()).isEmpty();
        String log = Files.readString(terraform.workdir().resolve("commands.log"));
        String cli = terraform.binary().getFileName().toString();
        assertThat(log)
                .contains(cli + " init")
                .contains(cli + " apply")
                .contains(cli + " destroy")
                .contains("=== exit 0");
        if (System.getenv("TF_ACC_LOG") == null) {
            assertThat(terraform.workdir().resolve("terraform.log")).doesNotExist();
        }
    }

    private static String data(String input, String trigger) {
        return Hcl.Block.resource("terraform_data", "d")
                .withString("input", input)
                .with("triggers_replace", Hcl.list(trigger))
                .render();
    }
}
