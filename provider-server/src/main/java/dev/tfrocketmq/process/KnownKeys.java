package dev.tfrocketmq.process;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * The configuration keys one RocketMQ version reads, for one kind of process, as lists generated at build time from
 * that version's own config classes (resources {@code rocketmq-keys/<version>/<role>.keys}). RocketMQ ignores any
 * other key silently, so the provider rejects them before anything starts.
 *
 * <p>Besides the keys read at start, the lists say which keys the running process accepts through its config update
 * request ({@code updateBrokerConfig} / {@code updateNamesrvConfig}) and which of those it is known to apply live.
 */
public final class KnownKeys {
    // declared before BROKER and NAMESERVER, which use them while the class initialises
    private static final String ROOT = "rocketmq-keys/";
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._-]*");
    private static final ConcurrentMap<String, Optional<KnownKeys>> LOADED = new ConcurrentHashMap<>();

    /** The version whose lists {@link #BROKER} and {@link #NAMESERVER} hold: the one the quick start runs. */
    public static final String DEFAULT_VERSION = "5.3.3";

    public static final KnownKeys BROKER = broker(DEFAULT_VERSION).orElse(none());
    public static final KnownKeys NAMESERVER = nameServer(DEFAULT_VERSION).orElse(none());

    private final Set<String> keys;
    private final Set<String> writable;
    private final Set<String> live;

    private KnownKeys(Set<String> keys, Set<String> writable, Set<String> live) {
        this.keys = Collections.unmodifiableSet(keys);
        this.writable = Collections.unmodifiableSet(writable);
        this.live = Collections.unmodifiableSet(live);
    }

    /** No list: {@link #available()} is false and nothing is checked (a kind whose keys are not generated). */
    public static KnownKeys none() {
        return new KnownKeys(Set.of(), Set.of(), Set.of());
    }

    /** The broker keys of {@code version}, or empty when the provider has no lists for that version. */
    public static Optional<KnownKeys> broker(String version) {
        return load(version, "broker");
    }

    /** The name-server keys of {@code version}, or empty when the provider has no lists for that version. */
    public static Optional<KnownKeys> nameServer(String version) {
        return load(version, "namesrv");
    }

    /** The RocketMQ versions the provider has key lists for, oldest first. */
    public static SortedSet<String> versions() {
        SortedSet<String> versions = new TreeSet<>();
        try {
            Enumeration<URL> indexes = loader().getResources(ROOT + "VERSION");
            while (indexes.hasMoreElements()) {
                try (InputStream in = indexes.nextElement().openStream()) {
                    String version = new String(in.readAllBytes(), UTF_8).strip();
                    if (VERSION.matcher(version).matches()) {
                        versions.add(version);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the bundled RocketMQ key lists", e);
        }
        return Collections.unmodifiableSortedSet(versions);
    }

    private static Optional<KnownKeys> load(String version, String role) {
        if (version == null || !VERSION.matcher(version).matches()) {
            return Optional.empty();
        }
        return LOADED.computeIfAbsent(version + '/' + role, path -> {
            Optional<Set<String>> keys = read(path + ".keys");
            if (keys.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new KnownKeys(
                    keys.get(),
                    read(path + ".writable.keys").orElse(Set.of()),
                    read(path + ".live.keys").orElse(Set.of())));
        });
    }

    private static Optional<Set<String>> read(String name) {
        InputStream in = loader().getResourceAsStream(ROOT + name);
        if (in == null) {
            return Optional.empty();
        }
        Set<String> keys = new TreeSet<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                String key = line.strip();
                if (!key.isEmpty() && !key.startsWith("#")) {
                    keys.add(key);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled key list " + ROOT + name, e);
        }
        return Optional.of(keys);
    }

    private static ClassLoader loader() {
        return KnownKeys.class.getClassLoader();
    }

    /** True when the keys are known at all (the list was found). */
    public boolean available() {
        return !keys.isEmpty();
    }

    public boolean contains(String key) {
        return keys.contains(key);
    }

    /** True when the running process accepts the key through its config update request (it may still need a restart). */
    public boolean acceptsLiveUpdate(String key) {
        return writable.contains(key);
    }

    /** True when a change of the key, sent to the running process, takes effect without a restart. */
    public boolean appliesLive(String key) {
        return live.contains(key);
    }

    /** The keys a running process takes live (sorted). */
    public SortedSet<String> liveKeys() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(live));
    }

    /** The closest known key, for "did you mean": same letters ignoring case, else the smallest edit distance ≤ 3. */
    public Optional<String> suggest(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = 4;
        for (String k : keys) {
            if (k.toLowerCase(Locale.ROOT).equals(lower)) {
                return Optional.of(k);
            }
            int d = distance(lower, k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3) {
            return 4;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
