package dev.tfrocketmq.process;

import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code properties} against the keys the planned RocketMQ version reads: RocketMQ ignores any other key silently,
 * so an unknown key is an error before anything starts, unless {@code unchecked_keys} names it.
 */
final class KeyCheck {
    static final ValuePath UNCHECKED_KEYS = ValuePath.root().attribute("unchecked_keys");
    private static final ValuePath VERSION = ValuePath.root().attribute("distribution");

    private KeyCheck() {}

    /**
     * Checks {@code planned}'s properties against {@code version}'s lists of {@code kind}; a version without lists
     * gets a warning instead.
     */
    static void check(ProcessKind kind, String version, Value planned, Diagnostics diagnostics) {
        Optional<KnownKeys> keys = kind.keyLists().of(version);
        if (keys.isEmpty()) {
            diagnostics.attributeWarning(
                    VERSION,
                    "RocketMQ " + version + " is not a version this provider knows",
                    "The distribution holds RocketMQ " + version + "; the provider has key lists for "
                            + String.join(", ", KnownKeys.versions()) + ". The " + kind.name() + "'s properties are "
                            + "passed on unchecked (RocketMQ ignores unknown keys silently), and every change of its "
                            + "config restarts it, since which keys " + version + " applies live is not known. Use "
                            + "a supported release to have both.");
            return;
        }
        Value props = planned.attribute("properties");
        if (!props.isKnown() || props.isNull() || !keys.get().available()) {
            return; // a kind without generated lists (the proxy) passes its keys on as they are
        }
        Set<String> unchecked = unchecked(planned);
        for (String key : new TreeSet<>(props.entries().keySet())) {
            if (keys.get().contains(key) || unchecked.contains(key)) {
                continue;
            }
            diagnostics.attributeError(
                    ValuePath.root().attribute("properties").key(key),
                    "Unknown " + kind.name() + " property " + key,
                    "RocketMQ " + version + " has no " + kind.name() + " setting named " + key
                            + " and would ignore it silently."
                            + keys.get()
                                    .suggest(key)
                                    .map(s -> " Did you mean " + s + "?")
                                    .orElse("")
                            + " Fix or remove the key; if this " + kind.name() + " does read it (a plugin, a "
                            + "patched build), add \"" + key + "\" to unchecked_keys.");
        }
    }

    /** The keys {@code unchecked_keys} names (none while unknown). */
    static Set<String> unchecked(Value values) {
        Value set = values.attribute("unchecked_keys");
        Set<String> keys = new TreeSet<>();
        if (set.isKnown() && !set.isNull()) {
            set.elements().forEach(e -> {
                if (e.isKnown() && !e.isNull()) {
                    keys.add(e.asString());
                }
            });
        }
        return keys;
    }
}
