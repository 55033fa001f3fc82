package dev.tfrocketmq.process;

import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns what is found on the host (the rendered config file, the running process's own config) back into a state, so
 * that drift shows in the plan as a change back to the declared value: a key of a typed attribute changes that
 * attribute; any other key changes {@code properties}. A drifted value that its attribute cannot take (of another
 * type, or an attribute that would force a replacement) shows under {@code properties} instead, as the text found,
 * or {@code ""} when the key was removed from the file; apply writes the file back either way.
 */
final class ObservedConfig {
    private ObservedConfig() {}

    /**
     * The state with the observed entries.
     *
     * @param state         the state as Terraform has it
     * @param rendered      the entries that state renders
     * @param observed      the entries found
     * @param attributeKeys typed attributes and the keys they render to
     * @param block         the resource schema
     */
    static Value reflect(
            Value state,
            Map<String, String> rendered,
            Map<String, String> observed,
            Map<String, String> attributeKeys,
            Block block) {
        Map<String, String> attributeOf = new HashMap<>();
        attributeKeys.forEach((attribute, key) -> attributeOf.put(key, attribute));
        Value result = state;
        Map<String, String> properties = new TreeMap<>();
        Value declared = state.attribute("properties");
        if (!declared.isNull()) {
            declared.entries().forEach((k, v) -> properties.put(k, v.asString()));
        }
        boolean propertiesChanged = false;
        TreeSet<String> keys = new TreeSet<>(rendered.keySet());
        keys.addAll(observed.keySet());
        for (String key : keys) {
            String found = observed.get(key);
            if (ConfigValues.same(rendered.get(key), found)) {
                continue;
            }
            String attributeName = attributeOf.get(key);
            Optional<Attribute> attribute = attributeName == null ? Optional.empty() : block.attribute(attributeName);
            if (attribute.isPresent() && !attribute.get().requiresReplace()) {
                Optional<Value> value = value(attribute.get(), found);
                if (value.isPresent()) {
                    result = result.withAttribute(attributeName, value.get());
                    continue;
                }
            }
            if (found == null && attribute.isEmpty()) {
                properties.remove(key);
            } else {
                properties.put(key, found == null ? "" : found);
            }
            propertiesChanged = true;
        }
        if (propertiesChanged) {
            Map<String, Value> entries = new TreeMap<>();
            properties.forEach((k, v) -> entries.put(k, Value.string(v)));
            result = result.withAttribute(
                    "properties",
                    entries.isEmpty() ? Value.nullOf(TfType.map(TfType.STRING)) : Value.map(TfType.STRING, entries));
        }
        return result;
    }

    /** The attribute value for a found text (null: the key is absent), or empty when the attribute cannot hold it. */
    private static Optional<Value> value(Attribute attribute, String found) {
        TfType type = attribute.type();
        if (found == null) {
            return attribute.required() ? Optional.empty() : Optional.of(Value.nullOf(type));
        }
        String text = found.strip();
        if (type.equals(TfType.STRING)) {
            return Optional.of(Value.string(text));
        }
        if (type.equals(TfType.NUMBER)) {
            try {
                return Optional.of(Value.number(new BigDecimal(text)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        if (type.equals(TfType.BOOL)) {
            String lower = text.toLowerCase(Locale.ROOT);
            return lower.equals("true") || lower.equals("false")
                    ? Optional.of(Value.bool(Boolean.parseBoolean(lower)))
                    : Optional.empty();
        }
        if (type.equals(TfType.list(TfType.STRING))) {
            List<Value> elements = new ArrayList<>();
            for (String part : text.split(";")) {
                if (!part.isBlank()) {
                    elements.add(Value.string(part.strip()));
                }
            }
            return elements.isEmpty() ? Optional.empty() : Optional.of(Value.list(TfType.STRING, elements));
        }
        return Optional.empty();
    }
}
