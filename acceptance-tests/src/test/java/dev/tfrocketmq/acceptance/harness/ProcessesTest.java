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
    Files.createDirectories(dir.resolve(".terraform"));
  }

  @BeforeEach
  void startProcessesThatMentionTheDir() throws Exception {
    // sh -c '<script>' <$0>: the path only appears in the command line, as $0
    sleeper = new ProcessBuilder("sh", "-c", "sleep 60", dir.resolve("rmq/launch.sh").toString()).start();
    plugin = new ProcessBuilder("sh", "-c", "sleep 60", dir.resolve(".terraform/providers/p").toString()).start();
    Await.until("sleepers visible in /proc", Duration.ofSeconds(5),
        () -> Processes.cmdline(sleeper.pid()).isPresent() && Processes.cmdline(plugin.pid()).isPresent());
  }

  @AfterEach
  void stopProcesses() throws Exception {
    // wait for the exit too, so the next test does not see these processes still dying
    for (Process p : new Process[] {sleeper, plugin}) {
      p.destroyForcibly();
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("process %d exited", p.pid()).isTrue();
    }
  }

  @Test
  void mentioningDir_findsEveryProcessStartedFromTheDirButNotThisJvm() {
    List<Processes.Info> found = Processes.mentioningDir(dir);

    assertThat(found).as("%s; all: %s", found, debug()).extracting(Processes.Info::pid)
        .containsExactlyInAnyOrder(sleeper.pid(), plugin.pid());
  }

  @Test
  void mentioningDir_doesNotConfuseADirWithItsNumberedSibling() throws Exception {
    Path sibling = Path.of(dir + "0");

    assertThat(Processes.mentioningDir(sibling)).isEmpty();
  }

  private static String debug() {
    StringBuilder b = new StringBuilder();
    try (var s = java.nio.file.Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : s) {
        long pid = Long.parseLong(p.getFileName().toString());
        b.append(pid).append('=').append(Processes.cmdline(pid).orElse("-")).append(" | ");
      }
    } catch (Exception e) {
      b.append(e);
    }
    return b.toString();
  }

  @Test
  void runningFrom_leavesOutTerraformPlugins() {
    List<Long> pids = Processes.runningFrom(dir).stream().map(Processes.Info::pid).toList();

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
    Await.until("all dead", Duration.ofSeconds(5),
        () -> !Processes.isAlive(sleeper.pid()) && !Processes.isAlive(plugin.pid()));
  }

  @Test
  void isAlive_isFalseForPidsThatDoNotExist() {
    assertThat(Processes.isAlive(-1)).isFalse();
    assertThat(Processes.isAlive(Integer.MAX_VALUE)).isFalse();
    assertThat(Processes.isAlive(ProcessHandle.current().pid())).isTrue();
  }
}
