package dev.tfrocketmq.process;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The configuration keys RocketMQ reads, taken the way it reads them: every public one-argument setter of its config
 * classes ({@code setListenPort} is {@code listenPort}). RocketMQ ignores any other key silently, so the provider
 * rejects them before anything starts.
 */
public final class KnownKeys {
    public static final KnownKeys BROKER = of(
            List.of(
                    "org.apache.rocketmq.common.BrokerConfig",
                    "org.apache.rocketmq.store.config.MessageStoreConfig",
                    "org.apache.rocketmq.remoting.netty.NettyServerConfig",
                    "org.apache.rocketmq.remoting.netty.NettyClientConfig",
                    "org.apache.rocketmq.auth.config.AuthConfig"),
            Set.of("rmqAddressServerDomain", "rmqAddressServerSubGroup"));
    public static final KnownKeys NAMESERVER = of(
            List.of(
                    "org.apache.rocketmq.common.namesrv.NamesrvConfig",
                    "org.apache.rocketmq.remoting.netty.NettyServerConfig",
                    "org.apache.rocketmq.remoting.netty.NettyClientConfig",
                    "org.apache.rocketmq.common.ControllerConfig",
                    "org.apache.rocketmq.common.JraftConfig"),
            Set.of());

    private final Set<String> keys;

    private KnownKeys(Set<String> keys) {
        this.keys = Collections.unmodifiableSet(keys);
    }

    static KnownKeys of(List<String> classNames) {
        return of(classNames, Set.of());
    }

    /** Setter-derived keys of the classes, plus {@code extra} keys the process reads by name. */
    static KnownKeys of(List<String> classNames, Set<String> extra) {
        Set<String> keys = new TreeSet<>(extra);
        for (String name : classNames) {
            try {
                for (Method m : Class.forName(name, false, KnownKeys.class.getClassLoader())
                        .getMethods()) {
                    if (m.getName().startsWith("set")
                            && m.getName().length() > 3
                            && m.getParameterCount() == 1
                            && !Modifier.isStatic(m.getModifiers())) {
                        String rest = m.getName().substring(3);
                        keys.add(Character.toLowerCase(rest.charAt(0)) + rest.substring(1));
                    }
                }
            } catch (ClassNotFoundException | LinkageError e) {
                // A config class this build does not carry: its keys cannot be checked, so none are.
                return new KnownKeys(Set.of());
            }
        }
        return new KnownKeys(keys);
    }

    /** True when the keys are known at all (the config classes were found). */
    public boolean available() {
        return !keys.isEmpty();
    }

    public boolean contains(String key) {
        return keys.contains(key);
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
