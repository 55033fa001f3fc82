package dev.tfrocketmq.host.ssh;

import dev.tfrocketmq.testing.TestHosts;
import java.nio.file.Path;
import java.time.Duration;

/** The SSH unit suites' test hosts: names {@code tsh-h<i>}, addresses in 198.18.7.0/24 (or their lane's). */
final class SshTestHosts {
    private SshTestHosts() {}

    static TestHosts up(int count) {
        return TestHosts.up("tsh", "198.18.7", count, module().resolve("target/ssh-testhosts"));
    }

    /** Hosts of their own (names {@code <prefix>-h<i>}, addresses in {@code <net>.0/24}), for a suite that changes
     * how their sshd behaves. */
    static TestHosts up(String prefix, String net, int count) {
        return TestHosts.up(prefix, net, count, module().resolve("target/ssh-testhosts-" + prefix));
    }

    private static Path module() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    }

    /** Settings for root on {@code host}, verified against the hosts' known_hosts. */
    static SshSettings settings(TestHosts hosts, int host) {
        return SshSettings.of(hosts.address(host), 22, "root", hosts.privateKeyText(), Duration.ofSeconds(5))
                .withKnownHostsFile(hosts.knownHosts().toString());
    }
}
