package dev.tfrocketmq.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.framework.diag.Diagnostic;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.framework.value.ValuePath;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class PlannedComponentsTest {
    private static final ValuePath LISTEN_PORT = ValuePath.root().attribute("listen_port");
    private static final ValuePath INSTALL_DIR = ValuePath.root().attribute("install_dir");

    private final PlannedComponents planned = new PlannedComponents();

    private static PlannedComponents.Component broker(
            String token, String host, String name, long id, int port, boolean restarts) {
        return new PlannedComponents.Component(
                token,
                "rocketmq_broker " + name + " (broker_id " + id + ", listen_port " + port + ")",
                host,
                List.of(
                        new PlannedComponents.Port(port - 2, "fast channel (listen_port-2)", LISTEN_PORT),
                        new PlannedComponents.Port(port, "listen_port", LISTEN_PORT),
                        new PlannedComponents.Port(port + 1, "HA port (listen_port+1)", LISTEN_PORT)),
                List.of(new PlannedComponents.Directory("/opt/rocketmq/broker-" + port, INSTALL_DIR)),
                Optional.of(new PlannedComponents.Group(
                        "rocketmq-cluster",
                        name,
                        id,
                        id == 0 ? PlannedComponents.Role.LEADER : PlannedComponents.Role.FOLLOWER)),
                restarts);
    }

    @Test
    void theSeedsDockerComposeLayoutClashesOnTheMastersFastPort_namingBothBrokersAndThePort() {
        assertThat(planned.place(broker("m", "10.211.55.9", "broker-a-master", 0, 10911, false)))
                .isEmpty();
        List<Diagnostic> errors = planned.place(broker("s", "10.211.55.9", "broker-b-slave", 1, 10909, false));
        assertThat(errors).isNotEmpty();
        Diagnostic first = errors.get(0);
        assertThat(first.path()).isEqualTo(LISTEN_PORT);
        assertThat(first.summary()).contains("10909", "10.211.55.9");
        assertThat(first.detail()).contains("broker-a-master", "broker-b-slave", "fast channel (listen_port-2)");
    }

    @Test
    void theSameComponentPlannedAgainDoesNotClashWithItself() {
        assertThat(planned.place(broker("m", "h1", "broker-a", 0, 10911, false)))
                .isEmpty();
        assertThat(planned.place(broker("m", "h1", "broker-a", 0, 10911, true))).isEmpty();
    }

    @Test
    void theSeedsTwoHostLayoutFits() {
        assertThat(planned.place(broker("a0", "h1", "broker-a", 0, 10911, false)))
                .isEmpty();
        assertThat(planned.place(broker("b1", "h1", "broker-b", 1, 10811, false)))
                .isEmpty();
        assertThat(planned.place(broker("b0", "h2", "broker-b", 0, 10911, false)))
                .isEmpty();
        assertThat(planned.place(broker("a1", "h2", "broker-a", 1, 10811, false)))
                .isEmpty();
    }

    @Test
    void portsOnDifferentHostsDoNotClash_unknownHostsAreLeftForApply() {
        assertThat(planned.place(broker("a", "h1", "broker-a", 0, 10911, false)))
                .isEmpty();
        assertThat(planned.place(broker("b", "h2", "broker-b", 0, 10911, false)))
                .isEmpty();
        assertThat(planned.place(broker("c", null, "broker-c", 0, 10911, false)))
                .isEmpty();
    }

    @Test
    void aDirectoryInsideAnothersIsTwoComponentsInOneDirectory() {
        PlannedComponents.Component a = new PlannedComponents.Component(
                "a",
                "rocketmq_broker a",
                "h1",
                List.of(),
                List.of(new PlannedComponents.Directory(
                        "/data/store", ValuePath.root().attribute("store_path_root_dir"))),
                Optional.empty(),
                false);
        PlannedComponents.Component b = new PlannedComponents.Component(
                "b",
                "rocketmq_broker b",
                "h1",
                List.of(),
                List.of(new PlannedComponents.Directory(
                        "/data/store/b", ValuePath.root().attribute("store_path_root_dir"))),
                Optional.empty(),
                false);
        assertThat(planned.place(a)).isEmpty();
        assertThat(planned.place(b)).singleElement().satisfies(d -> {
            assertThat(d.summary()).contains("Two components in one directory");
            assertThat(d.path()).isEqualTo(ValuePath.root().attribute("store_path_root_dir"));
            assertThat(d.detail()).contains("rocketmq_broker a", "/data/store/b");
        });
        assertThat(planned.place(new PlannedComponents.Component(
                        "c",
                        "c",
                        "h1",
                        List.of(),
                        List.of(new PlannedComponents.Directory("/data/store-c", INSTALL_DIR)),
                        Optional.empty(),
                        false)))
                .as("a sibling whose name starts alike is another directory")
                .isEmpty();
    }

    @Test
    void twoBrokersWithOneNameAndIdInAClusterAreRefused() {
        assertThat(planned.place(broker("x", "h1", "broker-a", 1, 10811, false)))
                .isEmpty();
        assertThat(planned.place(broker("y", "h2", "broker-a", 1, 10711, false)))
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.path()).isEqualTo(ValuePath.root().attribute("broker_id"));
                    assertThat(d.detail()).contains("on h1", "on h2");
                });
    }

    @Test
    void aMasterPlannedShortlyAfterItsSlaveIsFound() throws Exception {
        assertThat(planned.place(broker("s", "h2", "broker-a", 1, 10811, false)))
                .isEmpty();
        CompletableFuture<Boolean> found = CompletableFuture.supplyAsync(() -> planned.leaderPlanned(
                new PlannedComponents.Group("rocketmq-cluster", "broker-a", 1, PlannedComponents.Role.FOLLOWER),
                Duration.ofSeconds(10),
                new Cancellation()));
        planned.place(broker("m", "h1", "broker-a", 0, 10911, false));
        assertThat(found.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aSlaveWithoutAMasterIsToldSoOnceThePlanHasSettled() {
        planned.place(broker("s", "h2", "broker-a", 1, 10811, false));
        long started = System.nanoTime();
        boolean found = planned.leaderPlanned(
                new PlannedComponents.Group("rocketmq-cluster", "broker-a", 1, PlannedComponents.Role.FOLLOWER),
                Duration.ofSeconds(10),
                new Cancellation());
        assertThat(found).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aMasterWaitsForItsGroupsRestartingSlavesUntilTheyAreDone() {
        planned.place(broker("m", "h1", "broker-a", 0, 10911, true));
        planned.place(broker("s", "h2", "broker-a", 1, 10811, true));
        planned.place(broker("other", "h2", "broker-b", 1, 10711, true));
        PlannedComponents.Group group =
                new PlannedComponents.Group("rocketmq-cluster", "broker-a", 0, PlannedComponents.Role.LEADER);
        assertThat(planned.restartingFollowers(group, "m", Duration.ofMinutes(1)))
                .singleElement()
                .asString()
                .contains("broker-a (broker_id 1");
        planned.applying("s");
        planned.done("s");
        assertThat(planned.restartingFollowers(group, "m", Duration.ofMinutes(1)))
                .isEmpty();
    }

    @Test
    void aSlaveThatPlannedARestartButNeverAppliedIsNotWaitedFor() {
        planned.place(broker("s", "h2", "broker-a", 1, 10811, true));
        PlannedComponents.Group group =
                new PlannedComponents.Group("rocketmq-cluster", "broker-a", 0, PlannedComponents.Role.LEADER);
        assertThat(planned.restartingFollowers(group, "m", Duration.ZERO)).isEmpty();
    }

    @Test
    void settlingWaitsForQuietAndNoLonger() {
        planned.place(broker("a", "h1", "broker-a", 0, 10911, false));
        long started = System.nanoTime();
        planned.awaitSettled(Duration.ofSeconds(10), new Cancellation());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).isLessThan(Duration.ofSeconds(3));
    }
}
