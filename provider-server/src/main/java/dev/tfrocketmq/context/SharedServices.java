package dev.tfrocketmq.context;

import static java.util.Objects.requireNonNull;

import dev.tfrocketmq.admin.AdminClients;
import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.host.ssh.SshHosts;
import dev.tfrocketmq.runtime.DistributionInstaller;
import java.nio.file.Path;

/**
 * The process-wide services that provider instances share: admin clients, SSH connections, the distribution installer
 * (so two components on a host share one upload) and the download cache. Whoever makes them closes them.
 *
 * @param admin         one admin client per name-server set
 * @param sshHosts      one SSH connection per distinct settings
 * @param installer     content-addressed installs on hosts
 * @param downloadCache where downloaded distributions are kept, by SHA-256
 * @param restartLocks  the locks that keep restarts of one broker group (and one cluster's masters) apart
 */
public record SharedServices(
        AdminClients admin,
        SshHosts sshHosts,
        DistributionInstaller installer,
        Path downloadCache,
        RestartLocks restartLocks)
        implements AutoCloseable {
    private static final Log LOG = Log.named("install");

    public SharedServices {
        requireNonNull(admin, "admin");
        requireNonNull(sshHosts, "sshHosts");
        requireNonNull(installer, "installer");
        requireNonNull(downloadCache, "downloadCache");
        requireNonNull(restartLocks, "restartLocks");
    }

    /** New services that keep downloads in {@code downloadCache} and log every upload. */
    public static SharedServices create(Path downloadCache) {
        return new SharedServices(
                new AdminClients(),
                new SshHosts(),
                new DistributionInstaller((host, bytes, sha256) ->
                        LOG.info("distribution uploaded", "host", host, "bytes", bytes, "sha256", sha256)),
                downloadCache,
                new RestartLocks());
    }

    /** Disconnects every SSH host and shuts every admin client down. */
    @Override
    public void close() {
        sshHosts.close();
        admin.close();
    }
}
