package dev.tfrocketmq.context;

import static java.util.Objects.requireNonNull;

import dev.tfrocketmq.admin.AdminClients;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.host.Host;
import dev.tfrocketmq.host.LocalHost;
import dev.tfrocketmq.host.UserEnvironment;
import dev.tfrocketmq.runtime.DistributionInstaller;
import java.nio.file.Path;
import java.util.List;

/**
 * What the resources of one provider instance share: the configured defaults, the environment of the user running
 * Terraform, and the process-wide services (admin clients, SSH connections, installer, download cache), which several
 * provider instances may share.
 */
public final class ProviderContext {
    public static final String LOCAL = "local";

    private volatile ProviderSettings settings = ProviderSettings.NONE;
    private final SharedServices services;
    private final UserEnvironment environment;
    private final LocalHost localHost;
    private final PlannedComponents planned = new PlannedComponents();

    public ProviderContext(SharedServices services, UserEnvironment environment) {
        this.services = requireNonNull(services, "services");
        this.environment = requireNonNull(environment, "environment");
        this.localHost = new LocalHost(environment);
    }

    public ProviderSettings settings() {
        return settings;
    }

    /** Takes the provider block's values; called once the provider is configured. */
    public void configure(ProviderSettings settings) {
        this.settings = requireNonNull(settings, "settings");
    }

    public UserEnvironment environment() {
        return environment;
    }

    /**
     * The host a component's values name: over SSH when {@code host} is set, else the machine running Terraform.
     * Connects lazily, on first use.
     */
    public Host host(Value values) {
        Value host = values.attribute("host");
        if (host.isNull()) {
            return localHost;
        }
        Value providerSsh = settings.ssh();
        if (providerSsh != null && !providerSsh.isWhollyKnown()) {
            throw new OperatorException(
                    "The provider's ssh settings are not known yet",
                    "The ssh block of the provider depends on values that are only known after apply, so the "
                            + "connection to " + host.asString() + " cannot be set up. Terraform configures a "
                            + "provider before it applies resources: give the provider's ssh block literal values, "
                            + "variables or data sources, or apply what it depends on first (terraform apply "
                            + "-target=...).");
        }
        return services.sshHosts()
                .get(SshBlock.resolve(host.asString(), values.attribute(SshBlock.NAME), providerSsh, environment));
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

    /** Admin clients that sign with the provider's configured credentials, if any (and only with those). */
    public AdminClients admin() {
        return services.admin().as(settings.credentials());
    }

    public DistributionInstaller installer() {
        return services.installer();
    }

    public Path downloadCache() {
        return services.downloadCache();
    }

    /** What this run (session) has planned so far, across resources. */
    public PlannedComponents planned() {
        return planned;
    }

    /** The restart locks every run of this backend shares. */
    public RestartLocks restartLocks() {
        return services.restartLocks();
    }
}
