package dev.tfrocketmq.acceptance.harness;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code resource_changes} of a saved plan, as {@code terraform show -json <plan>} prints them. */
public final class PlanJson {
    private final Map<String, JsonObject> changes;
    private final String humanOutput;

    private PlanJson(Map<String, JsonObject> changes, String humanOutput) {
        this.changes = changes;
        this.humanOutput = humanOutput;
    }

    /** Parses the JSON plan; {@code humanOutput} is what {@code terraform plan} printed, kept for failure messages. */
    public static PlanJson parse(String json, String humanOutput) {
        JsonObject root = JsonParser.parseString(json).getAsJsonObject();
        Map<String, JsonObject> changes = new LinkedHashMap<>();
        if (root.has("resource_changes")) {
            for (JsonElement element : root.getAsJsonArray("resource_changes")) {
                JsonObject rc = element.getAsJsonObject();
                changes.put(rc.get("address").getAsString(), rc.getAsJsonObject("change"));
            }
        }
        return new PlanJson(changes, humanOutput);
    }

    public List<String> addresses() {
        return List.copyOf(changes.keySet());
    }

    /** The planned actions for a resource, such as {@code ["update"]} or {@code ["delete", "create"]}. */
    public List<String> actions(String address) {
        List<String> actions = new ArrayList<>();
        for (JsonElement a : change(address).getAsJsonArray("actions")) {
            actions.add(a.getAsString());
        }
        return actions;
    }

    /** Addresses whose actions include {@code action}. */
    public List<String> addressesWith(String action) {
        List<String> found = new ArrayList<>();
        for (String address : changes.keySet()) {
            if (actions(address).contains(action)) {
                found.add(address);
            }
        }
        return found;
    }

    /** The refreshed prior values of a resource; empty when it is being created. */
    public Optional<JsonObject> before(String address) {
        return object(change(address).get("before"));
    }

    /** The planned values of a resource (unknown values are absent); empty when it is being deleted. */
    public Optional<JsonObject> after(String address) {
        return object(change(address).get("after"));
    }

    /** One attribute of {@link #before}; fails the test, showing the plan, when it is absent or null. */
    public JsonElement before(String address, String attribute) {
        return attribute(address, "before", before(address), attribute);
    }

    /** One attribute of {@link #after}; fails the test, showing the plan, when it is absent, null or unknown. */
    public JsonElement after(String address, String attribute) {
        return attribute(address, "after", after(address), attribute);
    }

    private JsonElement attribute(String address, String side, Optional<JsonObject> values, String attribute) {
        JsonElement value = values.map(v -> v.get(attribute)).orElse(null);
        if (value == null || value.isJsonNull()) {
            throw new AssertionError("the plan has no known value for " + attribute + " " + side + " the change of "
                    + address + "\n" + describe());
        }
        return value;
    }

    /** Paths of attributes that would require replacement, as Terraform reports them. */
    public List<String> replacePaths(String address) {
        List<String> paths = new ArrayList<>();
        JsonElement replace = change(address).get("replace_paths");
        if (replace != null && replace.isJsonArray()) {
            for (JsonElement path : replace.getAsJsonArray()) {
                paths.add(path.toString());
            }
        }
        return paths;
    }

    /** Every address with its actions, then what {@code terraform plan} printed: for assertion messages. */
    public String describe() {
        StringBuilder out = new StringBuilder("planned actions:\n");
        changes.keySet()
                .forEach(a -> out.append("  ")
                        .append(a)
                        .append(' ')
                        .append(actions(a))
                        .append('\n'));
        String[] lines = humanOutput.split("\n", -1);
        out.append("--- plan output ---\n");
        for (int i = Math.max(0, lines.length - 120); i < lines.length; i++) {
            out.append(lines[i]).append('\n');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    private JsonObject change(String address) {
        JsonObject change = changes.get(address);
        if (change == null) {
            throw new AssertionError("the plan has no change for " + address + "\n" + describe());
        }
        return change;
    }

    private static Optional<JsonObject> object(JsonElement element) {
        return element == null || !element.isJsonObject() ? Optional.empty() : Optional.of(element.getAsJsonObject());
    }

    static List<String> strings(JsonArray array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.getAsString()));
        return out;
    }
}
