package dev.tfrocketmq.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.process.ProcessKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code rmq-proxy.json}: the typed attributes under the proxy's keys, then the extra {@code properties}, written as
 * the JSON object the proxy reads (numbers and booleans as such).
 */
final class ProxyConfigFile implements ProcessKind.ConfigFile {
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,18}");

    @Override
    public Map<String, String> entries(Value planned) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("rocketMQClusterName", planned.attribute("cluster_name").asString());
        e.put(
                "namesrvAddr",
                String.join(
                        ";",
                        planned.attribute("name_servers").elements().stream()
                                .map(Value::asString)
                                .toList()));
        e.put("proxyMode", "cluster");
        e.put("grpcServerPort", String.valueOf(planned.attribute("listen_port").asInt()));
        e.put(
                "remotingListenPort",
                String.valueOf(planned.attribute("remoting_port").asInt()));
        Value extra = planned.attribute("properties");
        if (!extra.isNull()) {
            extra.entries().forEach((k, v) -> e.put(k, v.asString()));
        }
        return e;
    }

    @Override
    public Map<String, String> attributeKeys() {
        return Map.of(
                "cluster_name", "rocketMQClusterName",
                "name_servers", "namesrvAddr",
                "listen_port", "grpcServerPort",
                "remoting_port", "remotingListenPort");
    }

    /** The JSON object's members as text (numbers and booleans as written); none when it is not a JSON object. */
    @Override
    public Map<String, String> parse(byte[] content) {
        JsonElement root;
        try {
            root = JsonParser.parseString(new String(content, UTF_8));
        } catch (JsonParseException e) {
            return Map.of();
        }
        if (!root.isJsonObject()) {
            return Map.of();
        }
        Map<String, String> entries = new TreeMap<>();
        root.getAsJsonObject().entrySet().forEach(e -> {
            JsonElement v = e.getValue();
            entries.put(e.getKey(), v.isJsonPrimitive() ? v.getAsString() : v.toString());
        });
        return entries;
    }

    @Override
    public byte[] render(Map<String, String> entries) {
        JsonObject o = new JsonObject();
        entries.forEach((k, v) -> {
            if (INTEGER.matcher(v).matches()) {
                o.addProperty(k, Long.parseLong(v));
            } else if (v.equals("true") || v.equals("false")) {
                o.addProperty(k, Boolean.parseBoolean(v));
            } else {
                o.addProperty(k, v);
            }
        });
        return (new GsonBuilder()
                                .setPrettyPrinting()
                                .disableHtmlEscaping()
                                .create()
                                .toJson(o) + "\n")
                .getBytes(UTF_8);
    }
}
