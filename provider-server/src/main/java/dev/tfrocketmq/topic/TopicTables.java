package dev.tfrocketmq.topic;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;

/**
 * Each master's full topic table, kept for a few seconds: one Terraform refresh reads every topic of a cluster, and
 * with this it costs one request per master instead of several per topic. Belongs to one provider instance (one
 * session); a write through it forgets the tables it changed.
 */
final class TopicTables {
    static final Duration FRESH_FOR = Duration.ofSeconds(5);

    private record Table(Map<String, TopicConfig> topics, long readAtNanos) {}

    private record View(ClusterInfo info, long readAtNanos) {}

    private final Map<String, Table> byBroker = new ConcurrentHashMap<>();
    private final Map<List<String>, View> views = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    /** The table of the broker at {@code address}, read with {@code reader} unless a fresh one is kept. */
    Map<String, TopicConfig> of(String address, Supplier<Map<String, TopicConfig>> reader) {
        Table kept = byBroker.get(address);
        if (fresh(kept)) {
            return kept.topics();
        }
        synchronized (locks.computeIfAbsent(address, a -> new Object())) {
            kept = byBroker.get(address);
            if (fresh(kept)) {
                return kept.topics();
            }
            Map<String, TopicConfig> topics = reader.get();
            byBroker.put(address, new Table(topics, System.nanoTime()));
            return topics;
        }
    }

    /** The merged view of these name servers, read with {@code reader} unless a fresh one is kept. */
    synchronized ClusterInfo cluster(List<String> nameServers, Supplier<ClusterInfo> reader) {
        View kept = views.get(nameServers);
        if (kept != null && System.nanoTime() - kept.readAtNanos() < FRESH_FOR.toNanos()) {
            return kept.info();
        }
        ClusterInfo info = reader.get();
        views.put(List.copyOf(nameServers), new View(info, System.nanoTime()));
        return info;
    }

    void forget(Collection<String> addresses) {
        addresses.forEach(byBroker::remove);
        views.clear();
    }

    private static boolean fresh(Table t) {
        return t != null && System.nanoTime() - t.readAtNanos() < FRESH_FOR.toNanos();
    }
}
