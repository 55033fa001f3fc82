package dev.tfrocketmq.process;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What it takes to bring a running process from the config it runs with to the declared one: nothing, a live update
 * of some keys (the running version re-reads them on every use), or a restart, with the keys that force it.
 *
 * @param live        keys the running process takes live, with their new values
 * @param restartKeys keys whose change (or removal) only takes effect at the next start
 */
record ConfigChange(SortedMap<String, String> live, List<String> restartKeys) {

    ConfigChange {
        live = new TreeMap<>(live);
        restartKeys = List.copyOf(restartKeys);
    }

    /**
     * Compares the values the process runs with and the declared ones, key by key.
     *
     * @param running   the running process's values of the keys last applied (absent: not set)
     * @param desired   the declared config file's entries
     * @param keys      the running version's key lists, empty for a version without lists (then everything restarts)
     * @param unchecked keys passed on unchecked: their effect is unknown, so they restart
     */
    static ConfigChange between(
            Map<String, String> running, Map<String, String> desired, Optional<KnownKeys> keys, Set<String> unchecked) {
        SortedMap<String, String> live = new TreeMap<>();
        List<String> restart = new ArrayList<>();
        Set<String> all = new TreeSet<>(running.keySet());
        all.addAll(desired.keySet());
        for (String key : all) {
            String now = running.get(key);
            String wanted = desired.get(key);
            if (ConfigValues.same(now, wanted)) {
                continue;
            }
            // A removed key falls back to RocketMQ's default, which only a start reads.
            boolean appliesLive = wanted != null
                    && !unchecked.contains(key)
                    && keys.map(k -> k.appliesLive(key)).orElse(false);
            if (appliesLive) {
                live.put(key, wanted);
            } else {
                restart.add(key);
            }
        }
        return new ConfigChange(live, restart);
    }

    boolean restart() {
        return !restartKeys.isEmpty();
    }

    boolean none() {
        return live.isEmpty() && restartKeys.isEmpty();
    }
}
