package dev.tfrocketmq.host.ssh;

import dev.tfrocketmq.testing.TestHosts;
import java.nio.file.Path;
import java.time.Duration;

/** The SSH unit suites' test hosts: names {@code tsh-h<i>}, addresses in 198.18.7.0/24 (or their lane's). */
final class SshTestHosts {
    private SshTestHosts() {}

    static TestHosts up(int count) {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        return TestHosts.up("tsh", "198.18.7", count, module.resolve("target/ssh-testhosts"));
    }

    /** Settings for root on {@code host}, verified against the hosts' known_hosts. */
    static SshSettings settings(TestHosts hosts, int host) {
        return SshSettings.of(hosts.address(host), 22, "root", hosts.privateKeyText(), Duration.ofSeconds(5))
                .withKnownHostsFile(hosts.knownHosts().toString());
    }
}
