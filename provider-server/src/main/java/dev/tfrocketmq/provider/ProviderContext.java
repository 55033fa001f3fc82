package dev.tfrocketmq.provider;

import dev.tfrocketmq.admin.AdminClients;
import dev.tfrocketmq.framework.server.SessionEnvironment;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.host.Host;
import dev.tfrocketmq.host.LocalHost;
import dev.tfrocketmq.runtime.DistributionInstaller;
import java.nio.file.Path;
import java.util.List;

/**
 * What every resource of one provider instance (one Terraform session) shares: the configured defaults and the
 * session's environment, over the backend's {@link SharedServices} (connection pools, installer).
 */
public final class ProviderContext implements AutoCloseable {
    public static final String LOCAL = "local";

    private volatile ProviderSettings settings = ProviderSettings.NONE;
    private final SharedServices shared;
    private final SessionEnvironment environment;

    public ProviderContext(SharedServices shared, SessionEnvironment environment) {
        this.shared = shared;
        this.environment = environment;
    }

    /** The environment of the Terraform run this instance serves. */
    public SessionEnvironment environment() {
        return environment;
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
        return shared.sshHosts()
                .get(SshBlock.resolve(
                        host.asString(),
                        values.attribute(SshBlock.NAME),
                        settings.ssh(),
                        environment.variable("SSH_AUTH_SOCK").orElse(null)));
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
        return shared.admin();
    }

    public DistributionInstaller installer() {
        return shared.installer();
    }

    public Path downloadCache() {
        return shared.downloadCache();
    }

    /** Nothing of its own to release: the pools belong to the backend and outlive the session. */
    @Override
    public void close() {}
}
