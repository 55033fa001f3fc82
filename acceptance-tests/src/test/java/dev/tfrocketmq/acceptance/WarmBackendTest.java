package dev.tfrocketmq.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.acceptance.harness.Backends;
import dev.tfrocketmq.acceptance.harness.FreePorts;
import dev.tfrocketmq.acceptance.harness.Hcl;
import dev.tfrocketmq.acceptance.harness.Processes;
import dev.tfrocketmq.acceptance.harness.Project;
import dev.tfrocketmq.acceptance.harness.ProviderLog;
import dev.tfrocketmq.acceptance.harness.Terraform;
import dev.tfrocketmq.acceptance.harness.WorkDir;
import dev.tfrocketmq.testing.ExecResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The warm backend as users meet it: Terraform runs in different directories at once share one backend, each as a
 * session of its own; and TF_ROCKETMQ_BACKEND=process still gives every launch a JVM of its own.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
final class WarmBackendTest {
    private final List<Terraform> toDestroy = new ArrayList<>();
    private final List<Path> workdirs = new ArrayList<>();

    @AfterEach
    void destroyAndKillLeftovers() {
        for (Terraform t : toDestroy) {
            ExecResult destroy = t.destroy();
            if (!destroy.succeeded()) {
                System.err.println("teardown: " + destroy.describe());
            }
        }
        workdirs.forEach(Processes::killAllFrom);
    }

    private Terraform nameServerIn(String name, Map<String, String> environment) {
        Project.requirePackaged();
        Path workdir = WorkDir.create(name);
        workdirs.add(workdir);
        Terraform terraform = Terraform.in(workdir);
        environment.forEach(terraform::withEnvironment);
        terraform.writeConfig(Hcl.requiredProvider()
                + "\n"
                + Hcl.Block.provider("rocketmq").render()
                + "\n"
                + Hcl.Block.resource("rocketmq_nameserver", "ns")
                        .withString("install_dir", workdir.resolve("rmq").toString())
                        .with("listen_port", Integer.toString(FreePorts.block(1)))
                        .withString("distribution", Project.runtimeArchive().toString())
                        .withString("jvm_heap", "128m")
                        .render());
        ExecResult init = terraform.init();
        assertThat(init.exitCode()).as(init.describe()).isZero();
        toDestroy.add(terraform);
        return terraform;
    }

    private static ExecResult applyLogged(Terraform terraform) {
        return terraform.run(
                Map.of(
                        "TF_LOG_PROVIDER",
                        "debug",
                        "TF_LOG_PATH",
                        terraform.workdir().resolve("apply.log").toString()),
                Terraform.APPLY_TIMEOUT,
                "apply",
                "-no-color",
                "-input=false",
                "-auto-approve");
    }

    /** The backend pids the launchers of one command attached to, from its log. */
    private static List<String> backendPids(Terraform terraform) {
        Path log = terraform.workdir().resolve("apply.log");
        List<String> pids = new ArrayList<>();
        for (String message : List.of("attached to the running backend", "started a shared Java backend")) {
            ProviderLog.entries(log, message).forEach(e -> pids.add(e.field("backend_pid")));
        }
        return pids;
    }

    @Test
    void twoAppliesInParallelInDifferentDirectoriesShareOneBackendAndBothSucceed() throws Exception {
        Terraform left = nameServerIn("warm-left", Map.of());
        Terraform right = nameServerIn("warm-right", Map.of());

        CompletableFuture<ExecResult> a = CompletableFuture.supplyAsync(() -> applyLogged(left));
        CompletableFuture<ExecResult> b = CompletableFuture.supplyAsync(() -> applyLogged(right));
        ExecResult leftApply = a.get(5, TimeUnit.MINUTES);
        ExecResult rightApply = b.get(5, TimeUnit.MINUTES);

        assertThat(leftApply.exitCode()).as(leftApply.describe()).isZero();
        assertThat(rightApply.exitCode()).as(rightApply.describe()).isZero();
        List<String> pids = new ArrayList<>(backendPids(left));
        pids.addAll(backendPids(right));
        assertThat(pids).as("every launcher of both applies names its backend").isNotEmpty();
        assertThat(pids.stream().distinct())
                .as("one backend served both directories: %s", pids)
                .hasSize(1);
        assertThat(Backends.running()).containsExactly(Long.parseLong(pids.get(0)));
        assertThat(left.state().resource("rocketmq_nameserver.ns").string("state"))
                .isEqualTo("running");
        assertThat(right.state().resource("rocketmq_nameserver.ns").string("state"))
                .isEqualTo("running");
    }

    @Test
    void withTheBackendTurnedOffEveryLaunchRunsAJvmOfItsOwn() {
        Backends.stopAll();
        Terraform terraform = nameServerIn("per-process", Map.of("TF_ROCKETMQ_BACKEND", "process"));
        ExecResult apply = applyLogged(terraform);
        assertThat(apply.exitCode()).as(apply.describe()).isZero();
        assertThat(backendPids(terraform))
                .as("no launcher used a shared backend")
                .isEmpty();
        assertThat(ProviderLog.entries(terraform.workdir().resolve("apply.log"), "Java backend ready"))
                .as("each launch started its own JVM")
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(Backends.running()).as("nothing stays behind").isEmpty();

        ExecResult plan = terraform.plan();
        assertThat(plan.exitCode()).as(plan.describe()).isZero();
        assertThat(Backends.awaitNone(Duration.ofSeconds(5))).isTrue();
    }
}
