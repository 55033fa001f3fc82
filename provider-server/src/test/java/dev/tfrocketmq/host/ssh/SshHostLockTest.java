package dev.tfrocketmq.host.ssh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.host.HostException;
import dev.tfrocketmq.host.HostLock;
import dev.tfrocketmq.host.OperationCancelledException;
import dev.tfrocketmq.runtime.DistributionInstaller;
import dev.tfrocketmq.runtime.InstalledDistribution;
import dev.tfrocketmq.testing.TestHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HostLock} on real OpenSSH hosts, taken by providers that do not share a JVM lock: each side here has its own
 * connection, as two provider processes would (or one host reached under two names).
 */
class SshHostLockTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestHosts hosts;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startHosts() {
        hosts = SshTestHosts.up(2);
    }

    @AfterAll
    static void stopHosts() {
        if (hosts != null) {
            hosts.close();
        }
    }

    private static SshHost newConnection() {
        return new SshHost(SshTestHosts.settings(hosts, 1));
    }

    private static String read(SshHost host, String file) {
        return new String(host.readFile(file).orElseThrow(), UTF_8);
    }

    @Test
    void aLockIsHeldByOneProviderAtATimeAndPassedOnWhenReleased() throws Exception {
        String lock = "/opt/locks-a/.locks/broker-10911";
        try (SshHost first = newConnection();
                SshHost second = newConnection()) {
            HostLock held = HostLock.acquire(first, lock, "deploying broker-a", WAIT);
            CompletableFuture<HostLock> waiting =
                    CompletableFuture.supplyAsync(() -> HostLock.acquire(second, lock, "deploying broker-b", WAIT));
            Thread.sleep(1500);
            assertThat(waiting).as("the second provider waits").isNotDone();
            assertThat(read(first, lock)).contains("deploying broker-a").contains("pid ");

            long released = System.nanoTime();
            held.close();

            try (HostLock taken = waiting.get(10, TimeUnit.SECONDS)) {
                assertThat(Duration.ofNanos(System.nanoTime() - released)).isLessThan(Duration.ofSeconds(3));
                assertThat(read(first, lock)).contains("deploying broker-b");
            }
            assertThat(first.exec(List.of("ls", "-A", "/opt/locks-a/.locks"), TIMEOUT)
                            .stdout())
                    .as("nothing but the lock file once released")
                    .isEqualTo("broker-10911\n");
        }
    }

    @Test
    void aLockIsReleasedWhenTheConnectionThatTookItDrops() throws Exception {
        String lock = "/opt/locks-b/.locks/nameserver-9876";
        try (SshHost survivor = newConnection()) {
            SshHost dying = newConnection();
            HostLock.acquire(dying, lock, "deploying a name server", WAIT);

            long dropped = System.nanoTime();
            dying.close();

            try (HostLock taken = HostLock.acquire(survivor, lock, "deploying it again", WAIT)) {
                assertThat(Duration.ofNanos(System.nanoTime() - dropped))
                        .as("the holder notices its connection is gone")
                        .isLessThan(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void waitingForALockStopsWhenCancelledAndALockNotFreedInTimeNamesItsHolder() throws Exception {
        String lock = "/opt/locks-c/.locks/broker-10811";
        try (SshHost holder = newConnection();
                SshHost other = newConnection();
                HostLock held = HostLock.acquire(holder, lock, "deploying the slave of broker-b", WAIT)) {
            Cancellation cancellation = new Cancellation();
            CompletableFuture<HostLock> waiting = CompletableFuture.supplyAsync(
                    () -> HostLock.acquire(other.withCancellation(cancellation), lock, "deploying", WAIT));
            Thread.sleep(500);
            long start = System.nanoTime();

            cancellation.cancel();

            assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(OperationCancelledException.class)
                    .hasMessageContaining("waiting for the lock " + lock);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            assertThatThrownBy(() -> HostLock.acquire(other, lock, "deploying", Duration.ofSeconds(1)))
                    .isInstanceOf(HostException.class)
                    .hasMessageContaining("another process still holds it after 1 s")
                    .hasMessageContaining("deploying the slave of broker-b");
        }
    }

    @Test
    void oneHostReachedUnderTwoNamesInstallsADistributionOnce() throws Exception {
        Path archive = SshCancellationTest.archive(tmp.resolve("dist.zip"), 8 << 20);
        String sha = DistributionInstaller.sha256(archive);
        SshSettings direct = SshTestHosts.settings(hosts, 1);
        SshSettings viaH2 = direct.withBastion(SshTestHosts.settings(hosts, 2));
        try (SshHost gate = newConnection();
                SshHost first = new SshHost(direct);
                SshHost second = new SshHost(viaH2)) {
            assertThat(first.name()).isNotEqualTo(second.name());
            // Both start while the installation lock is taken, so that they meet at it.
            HostLock closed = HostLock.acquire(gate, "/opt/twice/dist/.lock-" + sha, "holding both back", WAIT);
            CompletableFuture<InstalledDistribution> a = CompletableFuture.supplyAsync(
                    () -> new DistributionInstaller().ensureInstalled(first, "/opt/twice", archive, sha));
            CompletableFuture<InstalledDistribution> b = CompletableFuture.supplyAsync(
                    () -> new DistributionInstaller().ensureInstalled(second, "/opt/twice", archive, sha));
            Thread.sleep(1500);
            assertThat(a).as("the first waits for the lock").isNotDone();
            assertThat(b).as("the second waits for the lock").isNotDone();

            closed.close();

            assertThat(a.get(2, TimeUnit.MINUTES)).isEqualTo(b.get(2, TimeUnit.MINUTES));
            assertThat(first.bytesUploaded() + second.bytesUploaded())
                    .as("bytes uploaded through both names")
                    .isEqualTo(Files.size(archive));
            assertThat(first.exec(List.of("ls", "-A", "/opt/twice/dist"), TIMEOUT)
                            .stdout())
                    .isEqualTo(".lock-" + sha + "\n" + sha + "\n");
        }
    }
}
