package dev.tfrocketmq.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tfrocketmq.acceptance.harness.Hcl;
import dev.tfrocketmq.acceptance.harness.Project;
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
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * No secret is ever persisted: the provider's SSH key and password, and a resource's own key, appear nowhere in the
 * state, a saved plan, a trace log or the host's files, while apply, refresh, import and destroy keep working. The key
 * is a fresh one authorised on the host; the markers searched for are a stretch of its base64 body and the password.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(StopAfterFailedStep.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
final class SecretsTest {
    private static final String PREFIX = "accsec";
    private static final String NET = "198.18.14";
    private static final int HOST = 1;

    private Path workdir;
    private TestHosts hosts;
    private Terraform terraform;
    private Path key;
    private String keyMarker;
    private final String password = "pw-" + UUID.randomUUID().toString().replace("-", "");
    private final List<Path> logs = new ArrayList<>();

    @BeforeAll
    void bringUpHostWithAFreshKey() throws Exception {
        Project.requirePackaged();
        assumeTrue(
                Terraform.in(WorkDir.create("secrets-probe"))
                        .binary()
                        .getFileName()
                        .toString()
                        .equals("terraform"),
                "the password goes through an ephemeral variable, which needs Terraform 1.10+ (OpenTofu 1.10 has none)");
        workdir = WorkDir.create("secrets");
        hosts = TestHosts.up(PREFIX, NET, 1, workdir.resolve("hosts"));
        key = workdir.resolve("id_marker");
        Process keygen = new ProcessBuilder(
                        "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "secret-test", "-f", key.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(keygen.waitFor(30, TimeUnit.SECONDS) && keygen.exitValue() == 0)
                .isTrue();
        Files.writeString(
                hosts.authorizedKeys(HOST),
                Files.readString(key.resolveSibling("id_marker.pub")),
                StandardOpenOption.APPEND);
        List<String> body = Files.readAllLines(key).stream()
                .filter(l -> !l.startsWith("-----"))
                .toList();
        keyMarker = body.get(body.size() / 2).substring(8, 48);
        terraform = Terraform.in(workdir).withEnvironment("TF_VAR_password", password);
        terraform.writeConfig(config());
        ExecResult init = terraform.init();
        assertThat(init.exitCode()).as(init.describe()).isZero();
    }

    @AfterAll
    void destroyAndTakeHostDown() {
        SuiteTeardown.run(terraform, hosts);
    }

    private String config() {
        String distribution = Project.runtimeArchive().toString();
        return Hcl.requiredProvider()
                + "\nvariable \"key_path\" {\n  type    = string\n  default = " + Hcl.string(key.toString()) + "\n}\n"
                + "\nvariable \"password\" {\n  type      = string\n  sensitive = true\n  ephemeral = true\n}\n\n"
                + Hcl.Block.provider("rocketmq")
                        .withBlock(Hcl.Block.nested("ssh")
                                .with("private_key", "file(var.key_path)")
                                .with("password", "var.password")
                                .withString(
                                        "known_hosts_file", hosts.knownHosts().toString()))
                        .render()
                + "\n"
                + Hcl.Block.resource("rocketmq_nameserver", "provider_creds")
                        .withString("host", hosts.address(HOST))
                        .withString("install_dir", "/opt/rocketmq")
                        .withString("distribution", distribution)
                        .with("listen_port", "9876")
                        .withString("jvm_heap", "128m")
                        .render()
                + "\n"
                + Hcl.Block.resource("rocketmq_nameserver", "own_key")
                        .withString("host", hosts.address(HOST))
                        .withString("install_dir", "/opt/rocketmq")
                        .withString("distribution", distribution)
                        .with("listen_port", "9877")
                        .withString("jvm_heap", "128m")
                        .withBlock(Hcl.Block.nested("ssh").with("private_key_file", "var.key_path"))
                        .render();
    }

    private ExecResult traced(String... args) {
        Path log = workdir.resolve("trace-" + logs.size() + ".log");
        logs.add(log);
        return terraform.run(Map.of("TF_LOG", "trace", "TF_LOG_PATH", log.toString()), Terraform.APPLY_TIMEOUT, args);
    }

    @Test
    @Order(1)
    void applyRefreshImportAndDestroyWorkWithCredentialsThatAreNeverStored() {
        ExecResult apply = traced("apply", "-no-color", "-input=false", "-auto-approve");
        assertThat(apply.exitCode()).as(apply.describe()).isZero();

        ExecResult plan = traced("plan", "-no-color", "-input=false", "-detailed-exitcode", "-out=saved.tfplan");
        assertThat(plan.exitCode())
                .as("refresh with the credentials: no changes\n%s", plan.describe())
                .isZero();
        ExecResult show = terraform.run(Terraform.STATE_TIMEOUT, "show", "-no-color", "-json", "saved.tfplan");
        assertThat(show.exitCode()).as(show.describe()).isZero();
        write(workdir.resolve("saved-plan.json"), show.stdout());

        String id =
                terraform.state().resource("rocketmq_nameserver.provider_creds").string("id");
        assertThat(terraform.stateRm("rocketmq_nameserver.provider_creds").exitCode())
                .isZero();
        ExecResult imported = traced("import", "-no-color", "-input=false", "rocketmq_nameserver.provider_creds", id);
        assertThat(imported.exitCode()).as(imported.describe()).isZero();
        ExecResult again = traced("plan", "-no-color", "-input=false", "-detailed-exitcode");
        assertThat(again.exitCode())
                .as("after import, no changes\n%s", again.describe())
                .isZero();
    }

    @Test
    @Order(2)
    void neitherTheKeyNorThePasswordIsInStatePlanLogsOrTheHostsFiles() throws IOException {
        List<Path> searched = new ArrayList<>(logs);
        searched.add(workdir.resolve("terraform.tfstate"));
        searched.add(workdir.resolve("saved-plan.json"));
        searched.add(workdir.resolve("saved.tfplan"));
        try (Stream<Path> files = Files.walk(hosts.fs(HOST))) {
            files.filter(Files::isRegularFile)
                    .filter(f -> !f.toString().contains("/root/.ssh/"))
                    .forEach(searched::add);
        }
        assertThat(searched).as("files to search").hasSizeGreaterThan(5);
        assertThat(Files.readString(logs.get(0)))
                .as("the trace log is a real one")
                .contains("ApplyResourceChange");
        for (Path file : searched) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            assertThat(text).as("the key in %s", file).doesNotContain(keyMarker);
            assertThat(text).as("the password in %s", file).doesNotContain(password);
        }
    }

    @Test
    @Order(3)
    void destroyWorksWithTheSameCredentials() {
        ExecResult destroy = traced("destroy", "-no-color", "-input=false", "-auto-approve");
        assertThat(destroy.exitCode()).as(destroy.describe()).isZero();
        assertThat(hosts.rocketmqJvms(HOST)).as("nothing left running").isEmpty();
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
