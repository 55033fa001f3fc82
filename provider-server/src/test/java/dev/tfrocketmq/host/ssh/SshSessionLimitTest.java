package dev.tfrocketmq.host.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.host.ExecResult;
import dev.tfrocketmq.testing.TestHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many commands at once on one connection against real sshd session limits: h1 runs OpenSSH's stock settings
 * ({@code MaxSessions 10}); h2 allows only two sessions per connection ({@code MaxSessions 2}), set for this suite.
 */
class SshSessionLimitTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** What OpenSSH logs when it refuses a session beyond MaxSessions. */
    private static final String REFUSED = "no more sessions";

    private static TestHosts hosts;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeAll
    static void startHosts() {
        hosts = SshTestHosts.up("tsl", "198.18.8", 2);
        hosts.sshdOption(2, "MaxSessions", "2");
    }

    @AfterAll
    static void stopHosts() {
        if (hosts != null) {
            hosts.close();
        }
    }

    private static List<String> sh(String script) {
        return List.of("/bin/sh", "-c", script);
    }

    /** Runs {@code count} copies of {@code argv} at once; returns their results in order. */
    private List<ExecResult> runAtOnce(SshHost host, int count, List<String> argv) throws Exception {
        List<Future<ExecResult>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Callable<ExecResult> call = () -> host.exec(argv, TIMEOUT);
            futures.add(threads.submit(call));
        }
        List<ExecResult> results = new ArrayList<>();
        for (Future<ExecResult> future : futures) {
            results.add(future.get(2, TimeUnit.MINUTES));
        }
        return results;
    }

    private static long logins(int host) throws IOException {
        return count(host, "Accepted publickey");
    }

    private static long count(int host, String fragment) throws IOException {
        try (var lines = Files.lines(hosts.sshdLog(host))) {
            return lines.filter(line -> line.contains(fragment)).count();
        }
    }

    @Test
    void twentyCommandsAtOnceAgainstStockSshdAllSucceedOnOneConnection() throws Exception {
        long loginsBefore = logins(1);
        long refusedBefore = count(1, REFUSED);
        List<ExecResult> results;
        try (SshHost host = new SshHost(SshTestHosts.settings(hosts, 1))) {
            results = runAtOnce(host, 20, sh("sleep 0.5; hostname"));

            assertThat(results)
                    .hasSize(20)
                    .allSatisfy(result -> assertThat(result).isEqualTo(new ExecResult(0, "h1\n", "")));
            assertThat(host.peakChannels()).as("sessions open at once").isEqualTo(ChannelSlots.DEFAULT_LIMIT);
        }
        assertThat(logins(1) - loginsBefore).as("connections opened").isEqualTo(1);
        // sshd frees a session a moment after confirming its close, so on a busy machine it may still refuse one
        // now and then; each refusal is retried on the same connection, as the results above show
        assertThat(count(1, REFUSED) - refusedBefore)
                .as("sessions the server refused")
                .isLessThan(results.size());
    }

    /**
     * The queue: never more than the limit open. (The server may still refuse one now and then: it frees a session a
     * moment after confirming its close, which is why the default limit stays below the server's.)
     */
    @Test
    void withTheClientLimitAtTheServersCommandsQueueTwoAtATime() throws Exception {
        long loginsBefore = logins(2);
        long start = System.nanoTime();
        try (SshHost host = new SshHost(SshTestHosts.settings(hosts, 2), 2)) {
            List<ExecResult> results = runAtOnce(host, 12, sh("sleep 0.3; hostname"));

            assertThat(results).allSatisfy(result -> assertThat(result).isEqualTo(new ExecResult(0, "h2\n", "")));
            assertThat(host.peakChannels()).isEqualTo(2);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("twelve 0.3 s commands, two at a time")
                .isGreaterThanOrEqualTo(Duration.ofMillis(6 * 300));
        assertThat(logins(2) - loginsBefore).as("connections opened").isEqualTo(1);
    }

    @Test
    void aServerThatAllowsFewerSessionsIsMetByRetryingOnTheSameConnectionWithoutDisturbingOthers() throws Exception {
        long loginsBefore = logins(2);
        long refusedBefore = count(2, REFUSED);
        try (SshHost host = new SshHost(SshTestHosts.settings(hosts, 2))) {
            Future<ExecResult> longRunning = threads.submit(() -> host.exec(sh("sleep 3; echo still here"), TIMEOUT));
            Thread.sleep(300);

            List<ExecResult> results = runAtOnce(host, 12, sh("sleep 0.2; hostname"));

            assertThat(results).allSatisfy(result -> assertThat(result).isEqualTo(new ExecResult(0, "h2\n", "")));
            assertThat(longRunning.get(1, TimeUnit.MINUTES))
                    .as("the command that was running when sessions were refused")
                    .isEqualTo(new ExecResult(0, "still here\n", ""));
        }
        assertThat(logins(2) - loginsBefore)
                .as("a refused session keeps the connection: connections opened")
                .isEqualTo(1);
        assertThat(count(2, REFUSED) - refusedBefore)
                .as("sessions the server refused before the limit was learnt")
                .isPositive();
    }
}
