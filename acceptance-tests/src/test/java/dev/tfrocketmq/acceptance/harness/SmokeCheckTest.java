package dev.tfrocketmq.acceptance.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.Test;

final class SmokeCheckTest {
  @Test
  void harnessAgainstRealCluster() throws Exception {
    Path smoke = Project.root().resolve("acceptance-tests/target/smoke");
    String ns = "127.0.0.1:21876";
    String broker = "127.0.0.1:21886";
    assertThat(Processes.runningFrom(smoke)).hasSize(2);
    try (Cluster cluster = Cluster.connect(ns)) {
      cluster.awaitMaster("broker-a", broker, Duration.ofSeconds(5));
      assertThat(cluster.route("nope_topic")).isEmpty();
      DefaultMQAdminExt admin = new DefaultMQAdminExt(5000);
      admin.setNamesrvAddr(ns);
      admin.setInstanceName("smoke-" + System.nanoTime());
      admin.start();
      admin.createAndUpdateTopicConfig(broker, new TopicConfig("smoke_t", 4, 4, 6));
      cluster.awaitQueues("smoke_t", 4, 4, Duration.ofSeconds(5));
      admin.createAndUpdateTopicConfig(broker, new TopicConfig("smoke_t", 8, 8, 6));
      cluster.awaitQueues("smoke_t", 8, 8, Duration.ofSeconds(5));
      assertThat(cluster.topicConfig(broker, "smoke_t").getPerm()).isEqualTo(6);
      admin.shutdown();

      List<String> bodies = Messages.send(ns, "smoke_t", 20);
      long pid = Long.parseLong(Files.readString(smoke.resolve("b.pid")).trim());
      String cmd = Processes.cmdline(pid).orElseThrow();
      Processes.kill9(pid);
      Await.until("dead", Duration.ofSeconds(10), () -> !Processes.isAlive(pid));
      System.out.println("alive after kill (zombie?) " + Processes.isAlive(pid));
      Await.until("deregistered", Duration.ofSeconds(10), () -> cluster.masterAddress("broker-a").isEmpty());
      Process restarted = new ProcessBuilder(List.of(cmd.split(" ")))
          .redirectOutput(smoke.resolve("b2.out").toFile()).redirectErrorStream(true).start();
      Files.writeString(smoke.resolve("b.pid"), Long.toString(restarted.pid()));
      long t0 = System.nanoTime();
      cluster.awaitMaster("broker-a", broker, Duration.ofSeconds(30));
      System.out.println("re-registered after ms " + (System.nanoTime() - t0) / 1_000_000);
      long t1 = System.nanoTime();
      Set<String> got = Messages.receive(ns, "smoke_t", bodies, Duration.ofSeconds(60));
      System.out.println("received in ms " + (System.nanoTime() - t1) / 1_000_000);
      assertThat(got).containsExactlyInAnyOrderElementsOf(bodies);

      cluster.deleteTopic("smoke_t");
      cluster.awaitNoRoute("smoke_t", Duration.ofSeconds(5));
      assertThat(cluster.masterAddresses()).containsExactly(broker);
    }
  }
}
