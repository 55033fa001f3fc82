package dev.tfrocketmq.process;

import dev.tfrocketmq.admin.AdminClients;
import dev.tfrocketmq.admin.AdminErrors;
import dev.tfrocketmq.context.ProviderContext;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.host.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** A running process's own config, through the kind's config requests: read it, change keys it applies live. */
final class LiveConfigs {
    private static final Log LOG = Log.named("component");
    /** Reads started before the process's status is known, so that a refresh pays for one round trip, not two. */
    private static final ExecutorService EARLY = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "live-config-read");
        t.setDaemon(true);
        return t;
    });

    /** What one read found: the config, or why there is none (empty when the kind has no config requests). */
    record Attempt(Optional<Map<String, String>> config, Optional<String> problem) {}

    private final ProcessKind kind;
    private final Supplier<AdminClients> admin;

    LiveConfigs(ProcessKind kind, Supplier<AdminClients> admin) {
        this.kind = kind;
        this.admin = admin;
    }

    /** Sends keys to the process running as {@code running} and reads them back: it must report the new values. */
    void apply(Host host, Value running, String home, SortedMap<String, String> updates) {
        String address = kind.endpoints().address(running, ProviderContext.hostAddress(running));
        try {
            kind.liveConfig().write(admin.get(), running, address, updates);
        } catch (Exception e) {
            throw new OperatorException(
                    "Cannot change the running " + kind.name() + "'s config",
                    "Sending " + updates + " to " + address + " (" + home + " on " + host.name() + ") failed: "
                            + AdminErrors.describe(e) + ". The config file holds the declared values, so the next "
                            + "restart applies them; run apply again once the " + kind.name() + " answers.",
                    e);
        }
        Map<String, String> reported = read(running, host)
                .orElseThrow(() -> new OperatorException(
                        "Cannot read back the running " + kind.name() + "'s config",
                        address + " took the update " + updates + " but did not answer the request for its config; "
                                + "run plan again to see what it runs with."));
        List<String> refused = new ArrayList<>();
        updates.forEach((key, value) -> {
            if (!ConfigValues.same(reported.get(key), value)) {
                refused.add(key + "=" + value + " (it reports " + reported.get(key) + ")");
            }
        });
        if (!refused.isEmpty()) {
            throw new OperatorException(
                    "The running " + kind.name() + " did not take " + String.join(", ", refused),
                    "The " + kind.name() + " at " + address + " (" + home + " on " + host.name() + ") accepted the "
                            + "config update but reads it back differently, so the value is not valid for it. Fix the "
                            + "value; the config file already holds it and the next restart would apply it.");
        }
        LOG.info("applied live", "home", home, "host", host.name(), "keys", String.join(",", updates.keySet()));
    }

    /**
     * Starts reading the config of the process {@code state} describes, in the background and in this session's log;
     * the caller joins it once it knows the process runs, or drops it.
     */
    Future<Attempt> start(Value state, Host host) {
        return EARLY.submit(Log.propagate(() -> attempt(state, host)));
    }

    /** Reads the running process's config now. */
    Attempt attempt(Value state, Host host) {
        String[] problem = new String[1];
        Optional<Map<String, String>> config = read(state, host, p -> problem[0] = p);
        return new Attempt(config, Optional.ofNullable(problem[0]));
    }

    /** The running process's config, or empty (logged) when it does not answer. */
    Optional<Map<String, String>> read(Value state, Host host) {
        return read(state, host, problem -> {});
    }

    /** The running process's config, or empty when it does not answer, which {@code problem} is told. */
    Optional<Map<String, String>> read(Value state, Host host, Consumer<String> problem) {
        String hostAddress = ProviderContext.hostAddress(state);
        String address = hostAddress == null ? null : kind.endpoints().address(state, hostAddress);
        if (address == null || kind.liveConfig() == ProcessKind.LiveConfig.NONE) {
            return Optional.empty();
        }
        try {
            return Optional.of(kind.liveConfig().read(admin.get(), state, address));
        } catch (Exception e) {
            LOG.warn(
                    "cannot read the running config",
                    "address",
                    address,
                    "host",
                    host.name(),
                    "error",
                    AdminErrors.describe(e));
            problem.accept(address + ": " + AdminErrors.describe(e));
            return Optional.empty();
        }
    }
}
