package dev.tfrocketmq.provider;

import dev.tfrocketmq.process.KnownKeys;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** What the provider knows of each supported RocketMQ version's keys, for its documentation. */
public final class KeyListings {
    /** How a version treats a key. */
    public enum Use {
        LIVE,
        RESTART,
        UNKNOWN
    }

    /** The kinds of process with key lists. */
    public enum Role {
        BROKER,
        NAME_SERVER
    }

    private KeyListings() {}

    /** The versions the provider has key lists for, oldest first. */
    public static List<String> versions() {
        return List.copyOf(KnownKeys.versions());
    }

    /** Every key that some supported version applies live for {@code role}. */
    public static SortedSet<String> liveKeys(Role role) {
        SortedSet<String> keys = new TreeSet<>();
        for (String version : versions()) {
            lists(role, version).ifPresent(k -> keys.addAll(k.liveKeys()));
        }
        return keys;
    }

    /** How {@code version} treats {@code key}: applied live, read only at start, or not read at all. */
    public static Use use(Role role, String version, String key) {
        Optional<KnownKeys> lists = lists(role, version);
        if (lists.map(k -> k.appliesLive(key)).orElse(false)) {
            return Use.LIVE;
        }
        return lists.map(k -> k.contains(key)).orElse(false) ? Use.RESTART : Use.UNKNOWN;
    }

    private static Optional<KnownKeys> lists(Role role, String version) {
        return role == Role.BROKER ? KnownKeys.broker(version) : KnownKeys.nameServer(version);
    }
}
