package dev.tfrocketmq.context;

import dev.tfrocketmq.framework.value.Value;
import java.util.List;
import java.util.Optional;

/** The provider block as configured: defaults that resources fall back to. {@code ssh} may be null. */
public record ProviderSettings(List<String> nameServers, Optional<String> javaHome, Value ssh) {
    public static final ProviderSettings NONE = new ProviderSettings(List.of(), Optional.empty(), null);

    public ProviderSettings {
        nameServers = List.copyOf(nameServers);
    }
}
