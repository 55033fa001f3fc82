package dev.tfrocketmq.process;

import dev.tfrocketmq.framework.value.JsonValues;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValueCodecException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the provider keeps beside a process's state (Terraform's private data): the component's identity within one
 * plan, the config entries it last applied and the values the running process reported for them. The plan compares
 * the declared config with the running values, not with the file, to decide between nothing, a live update and a
 * restart: a hand-edited file changes nothing in a running process.
 *
 * @param component identity of the component among the plan's others (empty before its first plan)
 * @param applied   the config entries last written (empty: unknown, e.g. in a state from an older provider)
 * @param running   the running process's values of those keys, as last read (empty: not read)
 */
record AppliedConfig(Optional<String> component, Map<String, String> applied, Map<String, String> running) {
    static final AppliedConfig NONE = new AppliedConfig(Optional.empty(), Map.of(), Map.of());

    private static final TfType.ObjectType TYPE = TfType.object(Map.of(
            "component", TfType.STRING,
            "applied", TfType.map(TfType.STRING),
            "running", TfType.map(TfType.STRING)));

    AppliedConfig {
        applied = Map.copyOf(applied);
        running = Map.copyOf(running);
    }

    /** Reads private data; anything unreadable (another format, nothing) is {@link #NONE}. */
    static AppliedConfig decode(byte[] data) {
        if (data == null || data.length == 0) {
            return NONE;
        }
        try {
            Value v = JsonValues.decode(new String(data, StandardCharsets.UTF_8), TYPE);
            Value component = v.attribute("component");
            return new AppliedConfig(
                    component.isNull() ? Optional.empty() : Optional.of(component.asString()),
                    strings(v.attribute("applied")),
                    strings(v.attribute("running")));
        } catch (ValueCodecException | IllegalArgumentException | IllegalStateException e) {
            return NONE;
        }
    }

    byte[] encode() {
        Map<String, Value> attributes = new LinkedHashMap<>();
        attributes.put("component", component.map(Value::string).orElse(Value.nullOf(TfType.STRING)));
        attributes.put("applied", map(applied));
        attributes.put("running", map(running));
        return JsonValues.encode(Value.object(TYPE, attributes), TYPE).getBytes(StandardCharsets.UTF_8);
    }

    AppliedConfig withComponent(String token) {
        return new AppliedConfig(Optional.of(token), applied, running);
    }

    /** After an apply that left the process running {@code entries}. */
    AppliedConfig withApplied(Map<String, String> entries) {
        return new AppliedConfig(component, entries, entries);
    }

    AppliedConfig withRunning(Map<String, String> values) {
        return new AppliedConfig(component, applied, values);
    }

    private static Map<String, String> strings(Value map) {
        Map<String, String> out = new TreeMap<>();
        if (!map.isNull()) {
            map.entries().forEach((k, v) -> out.put(k, v.asString()));
        }
        return out;
    }

    private static Value map(Map<String, String> entries) {
        Map<String, Value> values = new TreeMap<>();
        entries.forEach((k, v) -> values.put(k, Value.string(v)));
        return Value.map(TfType.STRING, values);
    }
}
