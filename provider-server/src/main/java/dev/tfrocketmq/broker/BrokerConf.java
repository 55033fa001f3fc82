package dev.tfrocketmq.broker;

import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import dev.tfrocketmq.process.ProcessKind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code broker.conf}: the typed attributes under their RocketMQ keys, then the extra {@code properties}. */
final class BrokerConf implements ProcessKind.ConfigFile, ProcessKind.ConfigCheck {
    /** Typed attributes and the broker.conf keys they render to, in file order. */
    static final Map<String, String> KEYS;

    static {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("cluster_name", "brokerClusterName");
        keys.put("broker_name", "brokerName");
        keys.put("broker_id", "brokerId");
        keys.put("broker_role", "brokerRole");
        keys.put("flush_disk_type", "flushDiskType");
        keys.put("name_servers", "namesrvAddr");
        keys.put("listen_port", "listenPort");
        keys.put("broker_ip1", "brokerIP1");
        keys.put("broker_ip2", "brokerIP2");
        keys.put("store_path_root_dir", "storePathRootDir");
        keys.put("store_path_commit_log", "storePathCommitLog");
        keys.put("delete_when", "deleteWhen");
        keys.put("file_reserved_time", "fileReservedTime");
        keys.put("auto_create_topic_enable", "autoCreateTopicEnable");
        KEYS = Collections.unmodifiableMap(keys);
    }

    @Override
    public Map<String, String> entries(Value planned) {
        Map<String, String> conf = new LinkedHashMap<>();
        KEYS.forEach((attribute, key) -> {
            Value v = planned.attribute(attribute);
            if (!v.isNull()) {
                conf.put(key, text(attribute, v));
            }
        });
        Value extra = planned.attribute("properties");
        if (!extra.isNull()) {
            extra.entries().forEach((k, v) -> conf.put(k, v.asString()));
        }
        return conf;
    }

    @Override
    public Map<String, String> attributeKeys() {
        return KEYS;
    }

    private static String text(String attribute, Value v) {
        if (v.type().equals(TfType.NUMBER)) {
            return v.asNumber().toPlainString();
        }
        if (v.type().equals(TfType.BOOL)) {
            return String.valueOf(v.asBool());
        }
        if (attribute.equals("name_servers")) {
            return String.join(";", v.elements().stream().map(Value::asString).toList());
        }
        return v.asString();
    }

    /** A {@code properties} key that an attribute renders is an error naming the attribute. */
    @Override
    public void check(Value config, Diagnostics diagnostics) {
        Value props = config.attribute("properties");
        if (!props.isKnown() || props.isNull()) {
            return;
        }
        for (String key : props.entries().keySet()) {
            KEYS.forEach((attribute, confKey) -> {
                if (confKey.equalsIgnoreCase(key)) {
                    diagnostics.attributeError(
                            ValuePath.root().attribute("properties").key(key),
                            "Use the " + attribute + " attribute",
                            "The broker.conf key " + key + " has its own attribute; set " + attribute
                                    + " instead of properties[\"" + key + "\"].");
                }
            });
        }
    }
}
