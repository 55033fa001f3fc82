package dev.tfrocketmq.framework.value;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reading and writing of type JSON with gson's streaming API. */
final class TypeJson {
    private TypeJson() {}

    static void write(TfType type, JsonWriter writer) throws IOException {
        if (type instanceof TfType.Primitive p) {
            writer.value(p.jsonName());
        } else if (type instanceof TfType.Dynamic) {
            writer.value("dynamic");
        } else if (type instanceof TfType.ListType l) {
            writer.beginArray().value("list");
            write(l.elementType(), writer);
            writer.endArray();
        } else if (type instanceof TfType.SetType s) {
            writer.beginArray().value("set");
            write(s.elementType(), writer);
            writer.endArray();
        } else if (type instanceof TfType.MapType m) {
            writer.beginArray().value("map");
            write(m.elementType(), writer);
            writer.endArray();
        } else if (type instanceof TfType.ObjectType o) {
            writer.beginArray().value("object").beginObject();
            for (Map.Entry<String, TfType> e : o.attributeTypes().entrySet()) {
                writer.name(e.getKey());
                write(e.getValue(), writer);
            }
            writer.endObject().endArray();
        } else if (type instanceof TfType.TupleType t) {
            writer.beginArray().value("tuple").beginArray();
            for (TfType element : t.elementTypes()) {
                write(element, writer);
            }
            writer.endArray().endArray();
        } else {
            throw new IllegalStateException("unhandled type " + type);
        }
    }

    static TfType read(JsonReader reader) throws IOException {
        JsonToken token = reader.peek();
        if (token == JsonToken.STRING) {
            String name = reader.nextString();
            return switch (name) {
                case "string" -> TfType.STRING;
                case "number" -> TfType.NUMBER;
                case "bool" -> TfType.BOOL;
                case "dynamic" -> TfType.DYNAMIC;
                default -> throw new IllegalArgumentException("unknown primitive type \"" + name + "\"");
            };
        }
        if (token != JsonToken.BEGIN_ARRAY) {
            throw new IllegalArgumentException("expected a type name or a [kind, ...] array, got " + token);
        }
        reader.beginArray();
        if (reader.peek() != JsonToken.STRING) {
            throw new IllegalArgumentException("a complex type must start with its kind as a string");
        }
        String kind = reader.nextString();
        TfType result;
        switch (kind) {
            case "list" -> result = new TfType.ListType(readElement(reader, kind));
            case "set" -> result = new TfType.SetType(readElement(reader, kind));
            case "map" -> result = new TfType.MapType(readElement(reader, kind));
            case "object" -> {
                expectPresent(reader, kind);
                if (reader.peek() != JsonToken.BEGIN_OBJECT) {
                    throw new IllegalArgumentException("an object type needs a JSON object of attribute types");
                }
                Map<String, TfType> attributes = new TreeMap<>();
                reader.beginObject();
                while (reader.hasNext()) {
                    String name = reader.nextName();
                    if (attributes.put(name, read(reader)) != null) {
                        throw new IllegalArgumentException("duplicate attribute \"" + name + "\" in object type");
                    }
                }
                reader.endObject();
                if (reader.hasNext()) {
                    // Optional-attribute list of a type constraint: accepted and ignored.
                    reader.skipValue();
                }
                result = new TfType.ObjectType(attributes);
            }
            case "tuple" -> {
                expectPresent(reader, kind);
                if (reader.peek() != JsonToken.BEGIN_ARRAY) {
                    throw new IllegalArgumentException("a tuple type needs a JSON array of element types");
                }
                List<TfType> elements = new ArrayList<>();
                reader.beginArray();
                while (reader.hasNext()) {
                    elements.add(read(reader));
                }
                reader.endArray();
                result = new TfType.TupleType(elements);
            }
            default -> throw new IllegalArgumentException("unknown type kind \"" + kind + "\"");
        }
        if (reader.hasNext()) {
            throw new IllegalArgumentException("too many elements in " + kind + " type");
        }
        reader.endArray();
        return result;
    }

    private static TfType readElement(JsonReader reader, String kind) throws IOException {
        expectPresent(reader, kind);
        return read(reader);
    }

    private static void expectPresent(JsonReader reader, String kind) throws IOException {
        if (!reader.hasNext()) {
            throw new IllegalArgumentException("missing element type in " + kind + " type");
        }
    }
}
