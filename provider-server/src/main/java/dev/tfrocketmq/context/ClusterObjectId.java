package dev.tfrocketmq.context;

import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import java.util.Arrays;
import java.util.List;

/**
 * The import ID of an object that lives in a cluster: {@code <cluster_name>/<name>}, or
 * {@code <name_server>[,<name_server>...]/<cluster_name>/<name>} when the provider has no default name servers.
 *
 * @param nameServers the name servers the ID names, or an empty list when it names none
 */
public record ClusterObjectId(List<String> nameServers, String cluster, String name) {
    public static final String FORMAT =
            "<cluster_name>/<name>, or <name_server>[,<name_server>...]/<cluster_name>/<name>";

    public ClusterObjectId {
        nameServers = List.copyOf(nameServers);
    }

    /** Parses {@code id}; a malformed one is an error showing the format and {@code example} (a name). */
    public static ClusterObjectId parse(String id, String example) {
        String[] parts = id.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || Arrays.stream(parts).anyMatch(String::isEmpty)) {
            throw new OperatorException(
                    "Invalid import ID \"" + id + "\"",
                    "Expected " + FORMAT + ", for example " + RocketMqNames.DEFAULT_CLUSTER + "/" + example + " or "
                            + "10.0.0.5:9876,10.0.0.6:9876/" + RocketMqNames.DEFAULT_CLUSTER + "/" + example + ".");
        }
        List<String> nameServers = parts.length == 3
                ? Arrays.stream(parts[0].split(",")).map(String::trim).toList()
                : List.of();
        return new ClusterObjectId(nameServers, parts[parts.length - 2], parts[parts.length - 1]);
    }

    /** The {@code name_servers} attribute: null (the provider's) when the ID names none. */
    public Value nameServersValue() {
        return nameServers.isEmpty()
                ? Value.nullOf(TfType.list(TfType.STRING))
                : Value.list(
                        TfType.STRING, nameServers.stream().map(Value::string).toList());
    }

    /** {@code <cluster_name>/<name>}, the {@code id} attribute. */
    public String id() {
        return cluster + "/" + name;
    }
}
