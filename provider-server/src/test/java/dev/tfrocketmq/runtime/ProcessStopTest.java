package dev.tfrocketmq.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.host.LocalHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessStopTest {
    @TempDir
    Path tmp;

    private final ProcessControl control = new ProcessControl(LocalHost.instance());
    private final List<String> started = new ArrayList<>();

    @AfterEach
    void killEverythingStarted() {
        for (String dir : started) {
            try {
                control.kill(dir);
            } catch (RuntimeException e) {
                System.err.println("could not kill " + dir + ": " + e);
            }
        }
    }

    /** Starts {@code script} (run by sh in the component directory) and waits until it has written "ready". */
    private String start(String name, String script) throws Exception {
        String dir = tmp.resolve(name).toString();
        started.add(dir);
        control.start(new ComponentSpec(
                dir, Map.of("app.conf", "k=v\n".getBytes(UTF_8)), List.of("/bin/sh", "-c", script, dir), Map.of()));
        Path ready = Path.of(dir, "ready");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(ready)) {
            assertThat(System.nanoTime()).as("%s wrote ready", dir).isLessThan(deadline);
            Thread.sleep(20);
        }
        return dir;
    }

    @Test
    void aStopEndsOnceTheStoreHasClosedAndTheOffsetsAreWritten_notAfterTheLongJoinsThatFollow() throws Exception {
        // Like a broker: on SIGTERM it closes its store (removes abort), writes its offsets, then waits a long time.
        String dir = start(
                "broker-1",
                "mkdir -p store/config; : >store/abort; echo old >store/config/consumerOffset.json;"
                        + " trap 'sleep 0.3; rm -f store/abort; sleep 0.2; echo new >store/config/consumerOffset.json;"
                        + " sleep 60; exit 0' TERM; : >ready; while :; do sleep 0.1; done");
        ProcessStop.Outcome outcome = ProcessStop.stop(
                LocalHost.instance(),
                dir,
                Duration.ofSeconds(30),
                StopMarkers.of(List.of(dir + "/store/abort"), List.of(dir + "/store/config/consumerOffset.json")));
        assertThat(outcome.how()).isEqualTo(ProcessStop.How.CUT_SHORT);
        assertThat(outcome.took()).isLessThan(Duration.ofSeconds(10));
        assertThat(Files.readString(Path.of(dir, "store/config/consumerOffset.json")))
                .isEqualTo("new\n");
        assertThat(control.status(dir).isRunning()).isFalse();
        assertThat(Path.of(dir, "pid")).doesNotExist();
    }

    @Test
    void offsetsWrittenBeforeTheStoreClosedDoNotCount() throws Exception {
        // Offsets written during the shutdown but before the store closed; the last write never comes: wait it out.
        String dir = start(
                "broker-2",
                "mkdir -p store/config; : >store/abort; trap 'echo early >store/config/consumerOffset.json;"
                        + " sleep 0.3; rm -f store/abort; sleep 60; exit 0' TERM; : >ready; while :; do sleep 0.1; done");
        ProcessStop.Outcome outcome = ProcessStop.stop(
                LocalHost.instance(),
                dir,
                Duration.ofSeconds(2),
                StopMarkers.of(List.of(dir + "/store/abort"), List.of(dir + "/store/config/consumerOffset.json")));
        assertThat(outcome.how()).isEqualTo(ProcessStop.How.KILLED_AFTER_TIMEOUT);
        assertThat(control.status(dir).isRunning()).isFalse();
    }

    @Test
    void aProcessThatExitsOnSigtermIsJustStopped() throws Exception {
        String dir = start("nameserver-1", "trap 'exit 0' TERM; : >ready; while :; do sleep 0.1; done");
        ProcessStop.Outcome outcome =
                ProcessStop.stop(LocalHost.instance(), dir, Duration.ofSeconds(30), StopMarkers.NONE);
        assertThat(outcome.how()).isEqualTo(ProcessStop.How.EXITED);
        assertThat(outcome.pid()).isPositive();
    }

    @Test
    void aProcessWithNothingToWriteIsCutShortRightAfterSigterm() throws Exception {
        String dir = start("nameserver-2", "trap 'sleep 60; exit 0' TERM; : >ready; while :; do sleep 0.1; done");
        ProcessStop.Outcome outcome =
                ProcessStop.stop(LocalHost.instance(), dir, Duration.ofSeconds(30), StopMarkers.NOTHING_TO_WRITE);
        assertThat(outcome.how()).isEqualTo(ProcessStop.How.CUT_SHORT);
        assertThat(outcome.took()).isLessThan(Duration.ofSeconds(10));
        assertThat(control.status(dir).isRunning()).isFalse();
    }

    @Test
    void stoppingWhatDoesNotRunDoesNothing() {
        String dir = tmp.resolve("broker-3").toString();
        assertThat(ProcessStop.stop(LocalHost.instance(), dir, Duration.ofSeconds(1), StopMarkers.NONE)
                        .how())
                .isEqualTo(ProcessStop.How.NOT_RUNNING);
    }
}
