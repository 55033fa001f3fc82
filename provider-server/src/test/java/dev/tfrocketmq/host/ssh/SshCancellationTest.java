package dev.tfrocketmq.host.ssh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.host.ExecResult;
import dev.tfrocketmq.host.Host;
import dev.tfrocketmq.host.OperationCancelledException;
import dev.tfrocketmq.runtime.DistributionInstaller;
import dev.tfrocketmq.runtime.InstalledDistribution;
import dev.tfrocketmq.testing.TestHosts;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping work on a real OpenSSH host when the call's cancellation fires (as on Ctrl-C): a long command and its
 * process group, an upload on a slow link, an installation. Each must stop within seconds and leave nothing behind
 * that the next attempt trips over.
 */
class SshCancellationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** What stopping may take: the kill's own round trip, and on a slow link the data already on its way. */
    private static final Duration PROMPT = Duration.ofSeconds(5);

    private static final String SLOW_LINK = "40mbit";

    private static TestHosts hosts;
    private static SshHost h1;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startHosts() {
        hosts = SshTestHosts.up(1);
        h1 = new SshHost(SshTestHosts.settings(hosts, 1));
    }

    @AfterAll
    static void stopHosts() {
        try {
            if (h1 != null) {
                h1.close();
            }
        } finally {
            if (hosts != null) {
                hosts.close();
            }
        }
    }

    private static List<String> sh(String script) {
        return List.of("/bin/sh", "-c", script);
    }

    private static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for %s", what).isNegative();
            Thread.sleep(50);
        }
    }

    @Test
    void cancellingALongCommandKillsItsRemoteProcessGroupWithinSeconds() throws Exception {
        Cancellation cancellation = new Cancellation();
        Host host = h1.withCancellation(cancellation);
        CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(() ->
                host.exec(sh("echo $$ >/tmp/cancelled.pgid; sleep 301 & sleep 302; wait"), Duration.ofMinutes(10)));
        await("the command to start", TIMEOUT, () -> h1.exists("/tmp/cancelled.pgid"));
        String group = new String(h1.readFile("/tmp/cancelled.pgid").orElseThrow(), UTF_8).strip();
        assertThat(h1.exec(List.of("kill", "-0", "--", "-" + group), TIMEOUT).ok())
                .as("process group %s runs", group)
                .isTrue();
        long start = System.nanoTime();

        cancellation.cancel();

        assertThatThrownBy(() -> running.get(1, TimeUnit.MINUTES))
                .hasCauseInstanceOf(OperationCancelledException.class)
                .hasMessageContaining("was stopped: Terraform asked the provider to stop");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPT);
        await(
                "process group " + group + " to be gone",
                TIMEOUT,
                () -> !h1.exec(List.of("kill", "-0", "--", "-" + group), TIMEOUT)
                        .ok());
        assertThat(h1.exec(sh("ps -eo args | grep -c '^sleep 30[12]'"), TIMEOUT).stdout())
                .as("neither sleep is left")
                .isEqualTo("0\n");
        assertThatThrownBy(() -> host.exec(List.of("true"), TIMEOUT))
                .as("a cancelled host starts nothing more")
                .isInstanceOf(OperationCancelledException.class);
        assertThat(h1.exec(List.of("hostname"), TIMEOUT).stdout())
                .as("the connection serves other calls")
                .isEqualTo("h1\n");
    }

    @Test
    void cancellingAnUploadOnASlowLinkStopsItAndRemovesWhatItWrote() throws Exception {
        Path file = tmp.resolve("big.bin");
        byte[] data = new byte[40 << 20];
        new Random(3).nextBytes(data);
        Files.write(file, data);
        Cancellation cancellation = new Cancellation();
        Host host = h1.withCancellation(cancellation);
        hosts.shapeLink(1, SLOW_LINK);
        try {
            CompletableFuture<Void> upload =
                    CompletableFuture.runAsync(() -> host.upload(file, "/srv/cancelled/big.bin"));
            await(
                    "the upload to start writing",
                    TIMEOUT,
                    () -> !partialUploads("/srv/cancelled").isEmpty());
            long start = System.nanoTime();

            cancellation.cancel();

            assertThatThrownBy(() -> upload.get(1, TimeUnit.MINUTES))
                    .hasCauseInstanceOf(OperationCancelledException.class)
                    .hasMessageContaining("upload of " + file + " to /srv/cancelled/big.bin on root@");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPT);
        } finally {
            hosts.unshapeLink(1);
        }
        assertThat(h1.exists("/srv/cancelled/big.bin")).isFalse();
        assertThat(partialUploads("/srv/cancelled")).as("temporary files left").isEmpty();
    }

    @Test
    void aCancelledInstallationLeavesNothingTheNextOneTripsOver() throws Exception {
        Path archive = archive(tmp.resolve("dist.zip"), 24 << 20);
        String sha = DistributionInstaller.sha256(archive);
        DistributionInstaller installer = new DistributionInstaller();
        Cancellation cancellation = new Cancellation();
        Host host = h1.withCancellation(cancellation);
        hosts.shapeLink(1, SLOW_LINK);
        try {
            CompletableFuture<InstalledDistribution> install = CompletableFuture.supplyAsync(
                    () -> installer.ensureInstalled(host, "/opt/cancelled", archive, sha));
            await(
                    "the upload to start",
                    TIMEOUT,
                    () -> !partialUploads("/opt/cancelled/dist").isEmpty());
            long start = System.nanoTime();

            cancellation.cancel();

            assertThatThrownBy(() -> install.get(1, TimeUnit.MINUTES))
                    .hasCauseInstanceOf(OperationCancelledException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPT);
        } finally {
            hosts.unshapeLink(1);
        }
        assertThat(partialUploads("/opt/cancelled/dist"))
                .as("partial uploads left")
                .isEmpty();
        long before = h1.bytesUploaded();

        InstalledDistribution installed = installer.ensureInstalled(h1, "/opt/cancelled", archive, sha);

        assertThat(h1.bytesUploaded() - before).isEqualTo(Files.size(archive));
        assertThat(h1.exists(installed.libDir() + "/big.jar")).isTrue();
        assertThat(h1.exec(List.of("ls", "-A", "/opt/cancelled/dist"), TIMEOUT).stdout())
                .as("the installation and its lock file, nothing else")
                .isEqualTo(".lock-" + sha + "\n" + sha + "\n");
    }

    /** Files in {@code dir} whose names say they are parts of an upload. */
    private static List<String> partialUploads(String dir) {
        ExecResult listing = h1.exec(List.of("ls", "-A", dir), TIMEOUT);
        return listing.stdout().lines().filter(name -> name.contains("upload")).toList();
    }

    /** A zip holding {@code rocketmq/lib/big.jar} of {@code size} random bytes, stored (not compressible anyway). */
    static Path archive(Path zip, int size) throws Exception {
        byte[] content = new byte[size];
        new Random(11).nextBytes(content);
        CRC32 crc = new CRC32();
        crc.update(content);
        try (OutputStream out = Files.newOutputStream(zip);
                ZipOutputStream zipOut = new ZipOutputStream(out)) {
            ZipEntry entry = new ZipEntry("rocketmq/lib/big.jar");
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(size);
            entry.setCompressedSize(size);
            entry.setCrc(crc.getValue());
            zipOut.putNextEntry(entry);
            zipOut.write(content);
            zipOut.closeEntry();
        }
        return zip;
    }
}
