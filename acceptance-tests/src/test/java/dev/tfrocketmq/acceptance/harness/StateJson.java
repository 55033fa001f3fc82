package dev.tfrocketmq.acceptance.harness;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The resources in {@code terraform show -json}: the root module's and those of its child modules. */
public final class StateJson {
    private final Map<String, Resource> resources;
    private final String json;

    private StateJson(Map<String, Resource> resources, String json) {
        this.resources = resources;
        this.json = json;
    }

    public static StateJson parse(String json) {
        JsonObject root = JsonParser.parseString(json).getAsJsonObject();
        Map<String, Resource> resources = new LinkedHashMap<>();
        JsonObject values = root.getAsJsonObject("values");
        if (values != null && values.has("root_module")) {
            collect(values.getAsJsonObject("root_module"), resources);
        }
        return new StateJson(resources, json);
    }

    /** A module's resources and, recursively, its child modules' under their full addresses. */
    private static void collect(JsonObject module, Map<String, Resource> resources) {
        if (module.has("resources")) {
            for (JsonElement element : module.getAsJsonArray("resources")) {
                JsonObject r = element.getAsJsonObject();
                String address = r.get("address").getAsString();
                resources.put(address, new Resource(address, r.getAsJsonObject("values")));
            }
        }
        if (module.has("child_modules")) {
            for (JsonElement child : module.getAsJsonArray("child_modules")) {
                collect(child.getAsJsonObject(), resources);
            }
        }
    }

    public List<String> addresses() {
        return List.copyOf(resources.keySet());
    }

    public Optional<Resource> find(String address) {
        return Optional.ofNullable(resources.get(address));
    }

    /** The resource at {@code address}; fails the test, showing the state, when it is not there. */
    public Resource resource(String address) {
        return find(address)
                .orElseThrow(() ->
                        new AssertionError("no " + address + " in the state; it holds " + addresses() + "\n" + json));
    }

    @Override
    public String toString() {
        return json;
    }

    /** One resource's attribute values. */
    public static final class Resource {
        private final String address;
        private final JsonObject values;

        Resource(String address, JsonObject values) {
            this.address = address;
            this.values = values == null ? new JsonObject() : values;
        }

        public String address() {
            return address;
        }

        public JsonObject values() {
            return values;
        }

        public boolean isNull(String attribute) {
            JsonElement e = values.get(attribute);
            return e == null || e.isJsonNull();
        }

        public String string(String attribute) {
            return require(attribute).getAsString();
        }

        public long number(String attribute) {
            return require(attribute).getAsLong();
        }

        public boolean bool(String attribute) {
            return require(attribute).getAsBoolean();
        }

        public List<String> strings(String attribute) {
            return PlanJson.strings(require(attribute).getAsJsonArray());
        }

        private JsonElement require(String attribute) {
            JsonElement e = values.get(attribute);
            if (e == null || e.isJsonNull()) {
                throw new AssertionError(address + "." + attribute + " is null in the state: " + values);
            }
            return e;
        }

        @Override
        public String toString() {
            return address + " " + values;
        }
    }
}
