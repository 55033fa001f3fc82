package dev.tfrocketmq.provider;

import java.util.List;
import java.util.Optional;

/** The provider block as configured: defaults that resources fall back to. */
public record ProviderSettings(List<String> nameServers, Optional<String> javaHome) {
    public static final ProviderSettings NONE = new ProviderSettings(List.of(), Optional.empty());

    public ProviderSettings {
        nameServers = List.copyOf(nameServers);
    }
}
