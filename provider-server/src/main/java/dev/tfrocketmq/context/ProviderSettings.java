package dev.tfrocketmq.context;

import dev.tfrocketmq.admin.AdminCredentials;
import dev.tfrocketmq.framework.value.Value;
import java.util.List;
import java.util.Optional;

/**
 * The provider block as configured: defaults that resources fall back to. {@code ssh} may be null;
 * {@code credentials} are what the provider's own admin clients sign with (RocketMQ 5 with authentication on).
 */
public record ProviderSettings(
        List<String> nameServers, Optional<String> javaHome, Value ssh, Optional<AdminCredentials> credentials) {
    public static final ProviderSettings NONE = new ProviderSettings(List.of(), Optional.empty(), null);

    public ProviderSettings {
        nameServers = List.copyOf(nameServers);
        credentials = credentials == null ? Optional.empty() : credentials;
    }

    /** Settings without admin credentials. */
    public ProviderSettings(List<String> nameServers, Optional<String> javaHome, Value ssh) {
        this(nameServers, javaHome, ssh, Optional.empty());
    }
}
