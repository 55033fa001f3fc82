package dev.tfrocketmq.acceptance.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class ProcessesTest {
    private static Path dir;
    private Process sleeper;
    private Process plugin;

    @BeforeAll
    static void createDir() throws Exception {
        dir = WorkDir.create("harness-processes");
        Files.createDirectories(dir.resolve("rmq"));
        Files.createDirectories(dir.resolve(".terraform/providers"));
        Files.writeString(dir.resolve("rmq/launch.sh"), "");
        Files.writeString(dir.resolve(".terraform/providers/p"), "");
    }

    @BeforeEach
    void startProcessesThatMentionTheDir() throws Exception {
        // one process each, no children, with a path inside the dir on its command line
        sleeper = new ProcessBuilder("tail", "-f", dir.resolve("rmq/launch.sh").toString()).start();
        plugin = new ProcessBuilder(
                        "tail", "-f", dir.resolve(".terraform/providers/p").toString())
                .start();
        Await.until(
                "both processes running with their final command line",
                Duration.ofSeconds(5),
                () -> Processes.cmdline(sleeper.pid())
                                .filter(c -> c.contains(dir.toString()))
                                .isPresent()
                        && Processes.cmdline(plugin.pid())
                                .filter(c -> c.contains(dir.toString()))
                                .isPresent());
    }

    @AfterEach
    void stopProcesses() throws Exception {
        // wait for the exit too, so the next test does not see these processes still dying
        for (Process p : new Process[] {sleeper, plugin}) {
            p.destroyForcibly();
            assertThat(p.waitFor(10, TimeUnit.SECONDS))
                    .as("process %d exited", p.pid())
                    .isTrue();
        }
    }

    @Test
    void mentioningDir_findsEveryProcessStartedFromTheDirButNotThisJvm() {
        List<Long> pids =
                Processes.mentioningDir(dir).stream().map(Processes.Info::pid).toList();

        assertThat(pids).containsExactlyInAnyOrder(sleeper.pid(), plugin.pid());
    }

    @Test
    void mentioningDir_doesNotConfuseADirWithItsNumberedSibling() throws Exception {
        Path sibling = Path.of(dir + "0");

        assertThat(Processes.mentioningDir(sibling)).isEmpty();
    }

    @Test
    void runningFrom_leavesOutTerraformPlugins() {
        List<Long> pids =
                Processes.runningFrom(dir).stream().map(Processes.Info::pid).toList();

        assertThat(pids).containsExactly(sleeper.pid());
    }

    @Test
    void kill9_makesTheProcessDeadEvenBeforeItIsReaped() throws Exception {
        assertThat(Processes.isAlive(sleeper.pid())).isTrue();

        Processes.kill9(sleeper.pid());

        // nobody has waited for the child yet, so it lingers as a zombie: that still counts as dead
        Await.until("sleeper dead", Duration.ofSeconds(5), () -> !Processes.isAlive(sleeper.pid()));
        assertThat(Processes.cmdline(sleeper.pid())).isEmpty();
    }

    @Test
    void killAllFrom_killsEverythingAndReportsIt() {
        List<Processes.Info> killed = Processes.killAllFrom(dir);

        assertThat(killed).extracting(Processes.Info::pid).containsExactlyInAnyOrder(sleeper.pid(), plugin.pid());
        Await.until(
                "all dead",
                Duration.ofSeconds(5),
                () -> !Processes.isAlive(sleeper.pid()) && !Processes.isAlive(plugin.pid()));
    }

    @Test
    void isAlive_isFalseForPidsThatDoNotExist() {
        assertThat(Processes.isAlive(-1)).isFalse();
        assertThat(Processes.isAlive(Integer.MAX_VALUE)).isFalse();
        assertThat(Processes.isAlive(ProcessHandle.current().pid())).isTrue();
    }
}
