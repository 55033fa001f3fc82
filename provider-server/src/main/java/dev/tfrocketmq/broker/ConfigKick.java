package dev.tfrocketmq.broker;

import dev.tfrocketmq.admin.AdminClients;
import dev.tfrocketmq.framework.value.Value;
import java.util.List;
import java.util.Properties;

/**
 * RocketMQ 5 may skip a broker's first registration with its name servers; a config update (of a value the broker
 * already has, its permission) makes it register at once.
 */
final class ConfigKick {
    private ConfigKick() {}

    /** Best effort: registration is checked afterwards, and the periodic registration covers a failed kick. */
    static void send(AdminClients admin, Value planned, String address, List<String> nameServers) {
        Value props = planned.attribute("properties");
        String permission = "6";
        if (!props.isNull() && props.entries().containsKey("brokerPermission")) {
            permission = props.entries().get("brokerPermission").asString();
        }
        Properties update = new Properties();
        update.setProperty("brokerPermission", permission);
        try {
            admin.forNameServers(nameServers).updateBrokerConfig(address, update);
        } catch (Exception e) {
            // Registration is still checked by the caller.
        }
    }
}
