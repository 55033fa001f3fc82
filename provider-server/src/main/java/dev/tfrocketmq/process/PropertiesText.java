package dev.tfrocketmq.process;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Renders a Java properties file deterministically (keys in the given order, no timestamp comment), and reads one as
 * RocketMQ does.
 */
public final class PropertiesText {
    private PropertiesText() {}

    public static byte[] render(Map<String, String> properties) {
        StringBuilder sb =
                new StringBuilder("# Managed by terraform-provider-rocketmq; changes here are overwritten.\n");
        properties.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A config file as RocketMQ reads it ({@link Properties} syntax, values stripped); none when unreadable. */
    public static Map<String, String> parse(byte[] content) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(new String(content, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            return Map.of();
        }
        Map<String, String> entries = new TreeMap<>();
        properties
                .stringPropertyNames()
                .forEach(k -> entries.put(k, properties.getProperty(k).strip()));
        return entries;
    }
}
