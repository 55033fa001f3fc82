package dev.tfrocketmq.provider;

import dev.tfrocketmq.admin.AdminClients;
import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.host.ssh.SshHosts;
import dev.tfrocketmq.runtime.DistributionInstaller;
import java.nio.file.Path;

/**
 * What every provider instance of one backend shares: SSH connections and admin clients (each keyed by everything
 * that authorises its use, so no session rides on credentials it did not present), and the distribution installer
 * (so two components on a host share one upload, and a re-apply uploads nothing).
 */
public final class SharedServices implements AutoCloseable {
    private static final Log LOG = Log.named("install");

    private final AdminClients adminClients = new AdminClients();
    private final SshHosts sshHosts = new SshHosts();
    private final DistributionInstaller installer = new DistributionInstaller(
            (host, bytes, sha256) -> LOG.info("distribution uploaded", "host", host, "bytes", bytes, "sha256", sha256));
    private final Path downloadCache;

    public SharedServices(Path downloadCache) {
        this.downloadCache = downloadCache;
    }

    /** Services for this process, with downloads cached under the temporary directory. */
    public static SharedServices forProcess() {
        return new SharedServices(
                Path.of(System.getProperty("java.io.tmpdir"), "terraform-provider-rocketmq-downloads"));
    }

    public AdminClients admin() {
        return adminClients;
    }

    public SshHosts sshHosts() {
        return sshHosts;
    }

    public DistributionInstaller installer() {
        return installer;
    }

    public Path downloadCache() {
        return downloadCache;
    }

    @Override
    public void close() {
        sshHosts.close();
        adminClients.close();
    }
}
