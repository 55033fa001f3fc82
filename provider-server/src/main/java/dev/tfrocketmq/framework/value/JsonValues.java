package dev.tfrocketmq.framework.value;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The JSON encoding of values, as found in {@code RawState.json} (UpgradeResourceState).
 *
 * <p>It mirrors the msgpack mapping: objects and maps are JSON objects, lists, sets and tuples are
 * arrays, a dynamic value is {@code {"value": ..., "type": <type JSON>}}. Numbers are read exactly
 * (a JSON string holding a decimal is accepted too). On input, object attributes that are absent
 * become null, and attributes that the type does not have are an error. Unknown values cannot be
 * written.
 */
public final class JsonValues {
    private JsonValues() {}

    /**
     * Decodes JSON into a value of the schema type. Empty text is a null value.
     *
     * @throws ValueCodecException if the JSON is malformed or does not fit the schema type
     */
    public static Value decode(String json, TfType schemaType) {
        Objects.requireNonNull(schemaType, "schemaType");
        if (json == null || json.isBlank()) {
            return Value.nullOf(schemaType);
        }
        JsonReader in = newReader(json);
        Value value = read(in, schemaType, ValuePath.root());
        if (peek(in, ValuePath.root()) != JsonToken.END_DOCUMENT) {
            throw new ValueCodecException(ValuePath.root(), "unexpected JSON after the end of the value");
        }
        return value;
    }

    /**
     * Encodes a wholly known value of the schema type as JSON.
     *
     * @throws ValueCodecException if the value holds an unknown or does not fit the schema type
     */
    public static String encode(Value value, TfType schemaType) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(schemaType, "schemaType");
        StringWriter text = new StringWriter();
        try (JsonWriter out = new JsonWriter(text)) {
            out.setStrictness(Strictness.STRICT);
            out.setSerializeNulls(true);
            write(out, value, schemaType, ValuePath.root());
        } catch (IOException e) {
            throw new ValueCodecException(ValuePath.root(), "failed to write JSON: " + e.getMessage(), e);
        }
        return text.toString();
    }

    // ---------------------------------------------------------------- encoding

    private static void write(JsonWriter out, Value value, TfType type, ValuePath path) throws IOException {
        if (type instanceof TfType.Dynamic && !(value.type() instanceof TfType.Dynamic)) {
            out.beginObject();
            out.name("value");
            write(out, value, value.type(), path);
            out.name("type");
            out.jsonValue(value.type().toJson());
            out.endObject();
            return;
        }
        if (value.isUnknown()) {
            throw new ValueCodecException(path, "unknown values cannot be encoded as JSON");
        }
        if (value.isNull()) {
            if (!Value.fits(value, type)) {
                throw Msgpack.mismatch(value, type, path);
            }
            out.nullValue();
            return;
        }
        if (type instanceof TfType.Primitive) {
            if (!value.type().equals(type)) {
                throw Msgpack.mismatch(value, type, path);
            }
            if (type == TfType.STRING) {
                out.value(value.asString());
            } else if (type == TfType.BOOL) {
                out.value(value.asBool());
            } else {
                out.jsonValue(Numbers.text(value.asNumber()));
            }
        } else if (type instanceof TfType.ListType l) {
            Msgpack.requireKind(value, type, TfType.ListType.class, path);
            writeElements(out, value.elements(), l.elementType(), path);
        } else if (type instanceof TfType.SetType s) {
            Msgpack.requireKind(value, type, TfType.SetType.class, path);
            writeElements(out, value.elements(), s.elementType(), path);
        } else if (type instanceof TfType.TupleType t) {
            Msgpack.requireKind(value, type, TfType.TupleType.class, path);
            List<Value> elements = value.elements();
            if (elements.size() != t.elementTypes().size()) {
                throw Msgpack.mismatch(value, type, path);
            }
            out.beginArray();
            for (int i = 0; i < elements.size(); i++) {
                write(out, elements.get(i), t.elementTypes().get(i), path.index(i));
            }
            out.endArray();
        } else if (type instanceof TfType.MapType m) {
            Msgpack.requireKind(value, type, TfType.MapType.class, path);
            out.beginObject();
            for (Map.Entry<String, Value> e : value.entries().entrySet()) {
                out.name(e.getKey());
                write(out, e.getValue(), m.elementType(), path.key(e.getKey()));
            }
            out.endObject();
        } else if (type instanceof TfType.ObjectType o) {
            Msgpack.requireKind(value, type, TfType.ObjectType.class, path);
            Map<String, Value> attributes = value.attributes();
            if (!attributes.keySet().equals(o.attributeTypes().keySet())) {
                throw new ValueCodecException(path, Msgpack.attributeMismatch(attributes.keySet(), o));
            }
            out.beginObject();
            for (Map.Entry<String, TfType> e : o.attributeTypes().entrySet()) {
                out.name(e.getKey());
                write(out, attributes.get(e.getKey()), e.getValue(), path.attribute(e.getKey()));
            }
            out.endObject();
        } else {
            throw new ValueCodecException(path, "cannot encode a known value of type " + type);
        }
    }

    private static void writeElements(JsonWriter out, List<Value> elements, TfType elementType, ValuePath path)
            throws IOException {
        out.beginArray();
        for (int i = 0; i < elements.size(); i++) {
            write(out, elements.get(i), elementType, path.index(i));
        }
        out.endArray();
    }

    // ---------------------------------------------------------------- decoding

    private static JsonReader newReader(String json) {
        JsonReader reader = new JsonReader(new StringReader(json));
        reader.setStrictness(Strictness.STRICT);
        return reader;
    }

    private static Value read(JsonReader in, TfType type, ValuePath path) {
        try {
            JsonToken token = in.peek();
            if (token == JsonToken.NULL) {
                in.nextNull();
                return Value.nullOf(type);
            }
            if (type instanceof TfType.Dynamic) {
                return readDynamic(in, path);
            }
            if (type == TfType.STRING) {
                return switch (token) {
                    case STRING, NUMBER -> Value.string(in.nextString());
                    case BOOLEAN -> Value.string(Boolean.toString(in.nextBoolean()));
                    default -> throw wrongToken(path, "a string", token);
                };
            }
            if (type == TfType.NUMBER) {
                if (token != JsonToken.NUMBER && token != JsonToken.STRING) {
                    throw wrongToken(path, "a number", token);
                }
                String text = in.nextString();
                try {
                    return Value.number(Numbers.parse(text));
                } catch (NumberFormatException e) {
                    throw new ValueCodecException(path, e.getMessage(), e);
                }
            }
            if (type == TfType.BOOL) {
                if (token == JsonToken.BOOLEAN) {
                    return Value.bool(in.nextBoolean());
                }
                if (token == JsonToken.STRING) {
                    String text = in.nextString();
                    return switch (text) {
                        case "true" -> Value.bool(true);
                        case "false" -> Value.bool(false);
                        default -> throw new ValueCodecException(path, "a bool is required, got \"" + text + "\"");
                    };
                }
                throw wrongToken(path, "a bool", token);
            }
            if (type instanceof TfType.ListType l) {
                return Value.list(l.elementType(), readElements(in, l.elementType(), path, token));
            }
            if (type instanceof TfType.SetType s) {
                return Value.set(s.elementType(), readElements(in, s.elementType(), path, token));
            }
            if (type instanceof TfType.TupleType t) {
                if (token != JsonToken.BEGIN_ARRAY) {
                    throw wrongToken(path, "a JSON array for a tuple", token);
                }
                List<Value> elements = new ArrayList<>();
                in.beginArray();
                while (in.hasNext()) {
                    int i = elements.size();
                    if (i >= t.elementTypes().size()) {
                        throw new ValueCodecException(
                                path,
                                "too many tuple elements (" + t.elementTypes().size() + " required)");
                    }
                    elements.add(read(in, t.elementTypes().get(i), path.index(i)));
                }
                in.endArray();
                if (elements.size() != t.elementTypes().size()) {
                    throw new ValueCodecException(
                            path,
                            "not enough tuple elements (" + t.elementTypes().size() + " required)");
                }
                return Value.tuple(t.elementTypes(), elements);
            }
            if (type instanceof TfType.MapType m) {
                if (token != JsonToken.BEGIN_OBJECT) {
                    throw wrongToken(path, "a JSON object for a map", token);
                }
                Map<String, Value> entries = new TreeMap<>();
                in.beginObject();
                while (in.hasNext()) {
                    String key = in.nextName();
                    ValuePath at = path.key(key);
                    if (entries.containsKey(key)) {
                        throw new ValueCodecException(at, "duplicate map key");
                    }
                    entries.put(key, read(in, m.elementType(), at));
                }
                in.endObject();
                return Value.map(m.elementType(), entries);
            }
            if (type instanceof TfType.ObjectType o) {
                return readObject(in, o, path, token);
            }
            throw new ValueCodecException(path, "cannot decode type " + type);
        } catch (IOException | IllegalStateException e) {
            throw new ValueCodecException(path, "malformed JSON: " + e.getMessage(), e);
        }
    }

    private static Value readObject(JsonReader in, TfType.ObjectType type, ValuePath path, JsonToken token)
            throws IOException {
        if (token != JsonToken.BEGIN_OBJECT) {
            throw wrongToken(path, "a JSON object", token);
        }
        Map<String, Value> attributes = new LinkedHashMap<>();
        in.beginObject();
        while (in.hasNext()) {
            String name = in.nextName();
            if (!type.hasAttribute(name)) {
                throw new ValueCodecException(
                        path,
                        "unsupported attribute \"" + name + "\"; the object type has "
                                + type.attributeTypes().keySet());
            }
            if (attributes.containsKey(name)) {
                throw new ValueCodecException(path, "duplicate attribute \"" + name + "\"");
            }
            attributes.put(name, read(in, type.attributeType(name), path.attribute(name)));
        }
        in.endObject();
        for (Map.Entry<String, TfType> e : type.attributeTypes().entrySet()) {
            attributes.putIfAbsent(e.getKey(), Value.nullOf(e.getValue()));
        }
        return Value.object(type, attributes);
    }

    private static List<Value> readElements(JsonReader in, TfType elementType, ValuePath path, JsonToken token)
            throws IOException {
        if (token != JsonToken.BEGIN_ARRAY) {
            throw wrongToken(path, "a JSON array", token);
        }
        List<Value> elements = new ArrayList<>();
        in.beginArray();
        while (in.hasNext()) {
            elements.add(read(in, elementType, path.index(elements.size())));
        }
        in.endArray();
        return elements;
    }

    /** Reads {"value": ..., "type": ...}; the keys may come in either order. */
    private static Value readDynamic(JsonReader in, ValuePath path) throws IOException {
        JsonToken token = in.peek();
        if (token != JsonToken.BEGIN_OBJECT) {
            throw wrongToken(path, "a {\"value\": ..., \"type\": ...} object for a dynamic value", token);
        }
        TfType type = null;
        Value value = null;
        String bufferedValue = null;
        boolean sawValue = false;
        in.beginObject();
        while (in.hasNext()) {
            String key = in.nextName();
            switch (key) {
                case "type" -> {
                    if (type != null) {
                        throw new ValueCodecException(path, "duplicate \"type\" in dynamic value");
                    }
                    String typeJson = copyJson(in);
                    try {
                        type = TfType.fromJson(typeJson);
                    } catch (IllegalArgumentException e) {
                        throw new ValueCodecException(path, "dynamic value has an invalid type: " + e.getMessage(), e);
                    }
                }
                case "value" -> {
                    if (sawValue) {
                        throw new ValueCodecException(path, "duplicate \"value\" in dynamic value");
                    }
                    sawValue = true;
                    if (type != null) {
                        value = read(in, type, path);
                    } else {
                        bufferedValue = copyJson(in);
                    }
                }
                default ->
                    throw new ValueCodecException(
                            path, "invalid key \"" + key + "\" in dynamic value (only \"value\" and \"type\")");
            }
        }
        in.endObject();
        if (type == null) {
            throw new ValueCodecException(path, "dynamic value has no \"type\"");
        }
        if (!sawValue) {
            throw new ValueCodecException(path, "dynamic value has no \"value\"");
        }
        if (value == null) {
            JsonReader buffered = newReader(bufferedValue);
            value = read(buffered, type, path);
        }
        return value;
    }

    /** Copies the next JSON value verbatim (numbers keep their exact text). */
    private static String copyJson(JsonReader in) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonWriter out = new JsonWriter(text)) {
            out.setStrictness(Strictness.STRICT);
            copy(in, out);
        }
        return text.toString();
    }

    private static void copy(JsonReader in, JsonWriter out) throws IOException {
        switch (in.peek()) {
            case BEGIN_ARRAY -> {
                in.beginArray();
                out.beginArray();
                while (in.hasNext()) {
                    copy(in, out);
                }
                in.endArray();
                out.endArray();
            }
            case BEGIN_OBJECT -> {
                in.beginObject();
                out.beginObject();
                while (in.hasNext()) {
                    out.name(in.nextName());
                    copy(in, out);
                }
                in.endObject();
                out.endObject();
            }
            case STRING -> out.value(in.nextString());
            case NUMBER -> out.jsonValue(in.nextString());
            case BOOLEAN -> out.value(in.nextBoolean());
            case NULL -> {
                in.nextNull();
                out.nullValue();
            }
            default -> throw new IllegalStateException("unexpected JSON token " + in.peek());
        }
    }

    private static JsonToken peek(JsonReader in, ValuePath path) {
        try {
            return in.peek();
        } catch (IOException e) {
            throw new ValueCodecException(path, "malformed JSON: " + e.getMessage(), e);
        }
    }

    private static ValueCodecException wrongToken(ValuePath path, String expected, JsonToken token) {
        return new ValueCodecException(path, "expected " + expected + ", got JSON " + describe(token));
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case BEGIN_ARRAY -> "array";
            case BEGIN_OBJECT -> "object";
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "bool";
            case NULL -> "null";
            default -> token.name().toLowerCase(Locale.ROOT);
        };
    }
}
