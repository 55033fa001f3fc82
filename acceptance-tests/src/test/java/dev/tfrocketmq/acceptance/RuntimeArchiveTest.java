package dev.tfrocketmq.acceptance;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.acceptance.harness.Await;
import dev.tfrocketmq.acceptance.harness.FreePorts;
import dev.tfrocketmq.acceptance.harness.Processes;
import dev.tfrocketmq.acceptance.harness.Project;
import dev.tfrocketmq.acceptance.harness.WorkDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each release archive that {@code rocketmq-runtime} builds works on its own, the way an operator uses it on a host:
 * unpacked, its {@code bin/mqnamesrv} and {@code bin/mqbroker} start a name server and a broker, {@code bin/mqadmin
 * clusterList} lists the broker, a message sent through the archive's own client jars comes back, and
 * {@code bin/mqshutdown} stops both.
 *
 * <p>Here rather than in {@code rocketmq-runtime}: the archive exists only after that module's package phase, and these
 * tests run, like every test that starts real processes, after {@code make package}.
 */
final class RuntimeArchiveTest {
    private static final Duration BOOT = Duration.ofSeconds(90);
    private static final Duration COMMAND = Duration.ofSeconds(120);

    @ParameterizedTest(name = "RocketMQ {0}")
    @ValueSource(strings = {"4.9.7", "5.3.3", "5.5.0"})
    void theArchivesOwnScriptsRunANameServerAndABrokerThatCarryAMessage(String version) throws Exception {
        Path archive = Project.runtimeArchive(version);
        assertThat(archive).as("run `make package` first").isRegularFile();
        Path dir = WorkDir.create("runtime-" + version.replace('.', '-'));
        List<Process> started = new ArrayList<>();
        Phases phases = new Phases();
        try {
            run(dir, dir, List.of("unzip", "-q", archive.toString(), "-d", dir.toString()), Map.of(), "unzip");
            Path home = dir.resolve("rocketmq-all-" + version + "-bin-release");
            assertThat(home.resolve("conf/broker.conf")).isRegularFile();
            assertThat(home.resolve("conf/namesrv.properties")).isRegularFile();

            phases.end("unzip");

            int base = FreePorts.block(8);
            int nameServerPort = base;
            int brokerPort = base + 5; // binds base+3 .. base+6
            Path nameServerConf = Files.writeString(dir.resolve("namesrv.properties"), "listenPort=" + nameServerPort);
            Path brokerConf = Files.writeString(
                    dir.resolve("broker.conf"),
                    String.join(
                            "\n",
                            "brokerClusterName=RuntimeCluster",
                            "brokerName=broker-rt",
                            "brokerId=0",
                            "namesrvAddr=127.0.0.1:" + nameServerPort,
                            "brokerIP1=127.0.0.1",
                            "brokerIP2=127.0.0.1",
                            "listenPort=" + brokerPort,
                            "storePathRootDir=" + dir.resolve("store"),
                            "storePathCommitLog=" + dir.resolve("store/commitlog"),
                            "mappedFileSizeCommitLog=67108864",
                            "mappedFileSizeConsumeQueue=600000",
                            "mappedFileSizeTimerLog=8388608",
                            "maxHashSlotNum=50000",
                            "maxIndexNum=200000",
                            ""));

            Process nameServer = start(home, dir, "namesrv", "128m", "bin/mqnamesrv", "-c", nameServerConf.toString());
            started.add(nameServer);
            Process broker = start(home, dir, "broker", "256m", "bin/mqbroker", "-c", brokerConf.toString());
            started.add(broker);
            awaitOutput(nameServer, dir.resolve("namesrv.out"), "The Name Server boot success");
            awaitOutput(broker, dir.resolve("broker.out"), "boot success");
            phases.end("name server and broker boot");

            String brokerAddress = "127.0.0.1:" + brokerPort;
            String nameServerAddress = "127.0.0.1:" + nameServerPort;
            Path roundTrip = dir.resolve("RoundTrip.java");
            try (InputStream source = RuntimeArchiveTest.class.getResourceAsStream("/runtime/RoundTrip.java")) {
                Files.copy(source, roundTrip);
            }
            String sent = run(
                    home,
                    dir,
                    List.of(
                            "sh",
                            "bin/tools.sh",
                            roundTrip.toString(),
                            nameServerAddress,
                            brokerAddress,
                            "RuntimeTopic"),
                    tools(dir),
                    "roundtrip");
            assertThat(sent).contains("registered " + brokerAddress, "sent SEND_OK", "received round trip");
            phases.end("registration, send and receive");

            String clusterList = run(
                    home,
                    dir,
                    List.of("sh", "bin/mqadmin", "clusterList", "-n", nameServerAddress),
                    tools(dir),
                    "clusterlist");
            assertThat(clusterList)
                    .contains("RuntimeCluster", "broker-rt", brokerAddress, "V" + version.replace('.', '_'));
            phases.end("mqadmin clusterList");

            Process stopBroker = new ProcessBuilder("sh", "bin/mqshutdown", "broker")
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("shutdown-broker.out").toFile())
                    .start();
            String stopNameServer =
                    run(home, dir, List.of("sh", "bin/mqshutdown", "namesrv"), Map.of(), "shutdown-namesrv");
            assertThat(stopNameServer).contains("namesrv stopped");
            assertThat(stopBroker.waitFor(COMMAND.toSeconds(), TimeUnit.SECONDS))
                    .as("mqshutdown broker returns")
                    .isTrue();
            assertThat(Files.readString(dir.resolve("shutdown-broker.out"))).contains("broker stopped");
            assertThat(stopBroker.exitValue()).isZero();
            assertThat(nameServer.isAlive()).isFalse();
            assertThat(broker.isAlive()).isFalse();
            phases.end("mqshutdown broker and namesrv");
            assertThat(Files.readString(dir.resolve("broker.out")) + logs(dir.resolve("home-broker/logs")))
                    .as("a clean stop of 4.x needs the --add-opens of bin/runjava.sh")
                    .contains("Shutdown hook over")
                    .doesNotContain("InaccessibleObjectException");

            Process again = new ProcessBuilder("sh", "bin/mqshutdown", "broker")
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .start();
            assertThat(again.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(again.getInputStream().readAllBytes(), UTF_8)).contains("no broker is running");
            assertThat(again.exitValue()).isEqualTo(1);
        } finally {
            started.forEach(Process::destroyForcibly);
            Processes.killAllFrom(dir);
            System.out.println("RocketMQ " + version + " archive: " + phases);
        }
    }

    /** How long each step took, printed with the test's output. */
    private static final class Phases {
        private final StringBuilder text = new StringBuilder();
        private long last = System.nanoTime();

        void end(String phase) {
            long now = System.nanoTime();
            text.append(text.length() == 0 ? "" : ", ")
                    .append(phase)
                    .append(String.format(" %.1f s", (now - last) / 1e9));
            last = now;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    /** Every log file under {@code dir}, one after the other. */
    private static String logs(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        try (var files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                text.append(Files.readString(file)).append('\n');
            }
        }
        return text.toString();
    }

    /** The environment of the command-line tools: their own home, for their logs. */
    private static Map<String, String> tools(Path dir) {
        return Map.of("JAVA_OPT_EXT", "-Duser.home=" + dir.resolve("home-tools"));
    }

    private static Process start(Path home, Path dir, String role, String heap, String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of("sh"));
        argv.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(role + ".out").toFile());
        builder.environment().put("ROCKETMQ_HEAP", heap);
        builder.environment().put("JAVA_OPT_EXT", "-Duser.home=" + dir.resolve("home-" + role) + " -XX:+UseSerialGC");
        return builder.start();
    }

    private static void awaitOutput(Process process, Path output, String line) {
        Await.until(line + " in " + output, BOOT, () -> {
            String text = Files.readString(output);
            if (text.contains(line)) {
                return true;
            }
            if (!process.isAlive()) {
                throw new AssertionError(
                        "exited with " + process.exitValue() + " before \"" + line + "\"; its output:\n" + text);
            }
            return false;
        });
    }

    /** Runs a command to its end, fails with its output unless it exits 0, and returns that output. */
    private static String run(Path cwd, Path dir, List<String> argv, Map<String, String> env, String name)
            throws IOException, InterruptedException {
        Path output = dir.resolve(name + ".out");
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            if (!process.waitFor(COMMAND.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError(String.join(" ", argv) + " did not finish within " + COMMAND.toSeconds()
                        + " s; its output:\n" + Files.readString(output));
            }
        } finally {
            process.destroyForcibly();
        }
        String text = Files.readString(output);
        assertThat(process.exitValue())
                .as(String.join(" ", argv) + " exits 0; its output:\n" + text)
                .isZero();
        return text;
    }
}
