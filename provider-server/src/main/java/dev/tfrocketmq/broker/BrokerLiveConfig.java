package dev.tfrocketmq.broker;

import dev.tfrocketmq.admin.AdminClients;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.process.ProcessKind;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A running broker's config through its own requests: {@code getBrokerConfig} (every key of its config objects) and
 * {@code updateBrokerConfig} (which sets the keys in those objects and rewrites the file the broker was started with,
 * its {@code run/broker.conf}; the rendered {@code conf/broker.conf} stays the source of truth, copied over it at
 * every start).
 */
final class BrokerLiveConfig implements ProcessKind.LiveConfig {
    @Override
    public Map<String, String> read(AdminClients admin, Value state, String address) throws Exception {
        Properties properties =
                admin.forNameServers(BrokerKind.nameServers(state)).getBrokerConfig(address);
        Map<String, String> config = new TreeMap<>();
        if (properties != null) {
            properties.stringPropertyNames().forEach(k -> config.put(k, properties.getProperty(k)));
        }
        return config;
    }

    @Override
    public void write(AdminClients admin, Value state, String address, Map<String, String> updates) throws Exception {
        Properties properties = new Properties();
        properties.putAll(updates);
        admin.forNameServers(BrokerKind.nameServers(state)).updateBrokerConfig(address, properties);
    }
}
