package dev.tfrocketmq.provider;

import dev.tfrocketmq.admin.AdminClients;
import dev.tfrocketmq.host.Host;
import dev.tfrocketmq.host.LocalHost;
import dev.tfrocketmq.runtime.DistributionInstaller;
import java.nio.file.Path;

/**
 * What every resource of one provider process shares: the configured defaults, the host connections, one admin client
 * per name-server set and the distribution installer (so two components on a host share one upload).
 */
public final class ProviderContext implements AutoCloseable {
    private volatile ProviderSettings settings = ProviderSettings.NONE;
    private final AdminClients adminClients = new AdminClients();
    private final DistributionInstaller installer = new DistributionInstaller();
    private final Path downloadCache;

    public ProviderContext(Path downloadCache) {
        this.downloadCache = downloadCache;
    }

    public ProviderSettings settings() {
        return settings;
    }

    void configure(ProviderSettings settings) {
        this.settings = settings;
    }

    /** The machine components run on. Until remote hosts are configured, the local machine. */
    public Host host() {
        return LocalHost.instance();
    }

    public AdminClients admin() {
        return adminClients;
    }

    public DistributionInstaller installer() {
        return installer;
    }

    public Path downloadCache() {
        return downloadCache;
    }

    @Override
    public void close() {
        adminClients.close();
    }
}
