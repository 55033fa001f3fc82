package dev.tfrocketmq.provider;

import dev.tfrocketmq.admin.AdminClients;
import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.host.Host;
import dev.tfrocketmq.host.LocalHost;
import dev.tfrocketmq.host.ssh.SshHosts;
import dev.tfrocketmq.runtime.DistributionInstaller;
import java.nio.file.Path;
import java.util.List;

/**
 * What every resource of one provider process shares: the configured defaults, one SSH connection per host, one
 * admin client per name-server set and the distribution installer (so two components on a host share one upload).
 */
public final class ProviderContext implements AutoCloseable {
    public static final String LOCAL = "local";
    private static final Log LOG = Log.named("install");

    private volatile ProviderSettings settings = ProviderSettings.NONE;
    private final AdminClients adminClients = new AdminClients();
    private final SshHosts sshHosts = new SshHosts();
    private final DistributionInstaller installer = new DistributionInstaller(
            (host, bytes, sha256) -> LOG.info("distribution uploaded", "host", host, "bytes", bytes, "sha256", sha256));
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

    /**
     * The host a component's values name: over SSH when {@code host} is set, else the machine running Terraform.
     * Connects lazily, on first use.
     */
    public Host host(Value values) {
        Value host = values.attribute("host");
        if (host.isNull()) {
            return LocalHost.instance();
        }
        return sshHosts.get(SshBlock.resolve(host.asString(), values.attribute(SshBlock.NAME), settings.ssh()));
    }

    /** How the host appears in IDs without connecting: the {@code host} value, or "local"; null while unknown. */
    public static String hostLabel(Value values) {
        Value host = values.attribute("host");
        return host.isUnknown() ? null : host.isNull() ? LOCAL : host.asString();
    }

    /** The address clients use for processes on the host, without connecting; null while unknown. */
    public static String hostAddress(Value values) {
        Value host = values.attribute("host");
        return host.isUnknown() ? null : host.isNull() ? "127.0.0.1" : host.asString();
    }

    /** The configured name servers, else the provider's (possibly none: the admin client then says what to set). */
    public List<String> nameServers(Value configured) {
        if (configured.isNull()) {
            return settings.nameServers();
        }
        return configured.elements().stream().map(Value::asString).toList();
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
        sshHosts.close();
        adminClients.close();
    }
}
