package dev.tfrocketmq.process;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Renders a Java properties file deterministically (keys in the given order, no timestamp comment). */
public final class PropertiesText {
    private PropertiesText() {}

    public static byte[] render(Map<String, String> properties) {
        StringBuilder sb =
                new StringBuilder("# Managed by terraform-provider-rocketmq; changes here are overwritten.\n");
        properties.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
