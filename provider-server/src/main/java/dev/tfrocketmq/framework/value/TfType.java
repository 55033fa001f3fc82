package dev.tfrocketmq.framework.value;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A Terraform (cty) type. Instances are immutable and compare by structure.
 *
 * <p>The JSON form is the one Terraform uses in schemas and in dynamic values:
 * {@code "string"}, {@code "number"}, {@code "bool"}, {@code "dynamic"},
 * {@code ["list",T]}, {@code ["set",T]}, {@code ["map",T]},
 * {@code ["object",{"name":T}]} and {@code ["tuple",[T,...]]}.
 */
public sealed interface TfType
        permits TfType.Primitive,
                TfType.ListType,
                TfType.SetType,
                TfType.MapType,
                TfType.ObjectType,
                TfType.TupleType,
                TfType.Dynamic {

    Primitive STRING = Primitive.STRING;
    Primitive NUMBER = Primitive.NUMBER;
    Primitive BOOL = Primitive.BOOL;
    /** The pseudo-type standing for "any type"; concrete values carry their real type. */
    Dynamic DYNAMIC = Dynamic.INSTANCE;

    static ListType list(TfType element) {
        return new ListType(element);
    }

    static SetType set(TfType element) {
        return new SetType(element);
    }

    static MapType map(TfType element) {
        return new MapType(element);
    }

    /** An object type; the attribute map is copied into a sorted, unmodifiable map. */
    static ObjectType object(Map<String, TfType> attributes) {
        return new ObjectType(attributes);
    }

    static TupleType tuple(List<TfType> elements) {
        return new TupleType(elements);
    }

    /** The type JSON for this type, as used in schemas and dynamic values. */
    default String toJson() {
        StringWriter out = new StringWriter();
        try (JsonWriter writer = new JsonWriter(out)) {
            TypeJson.write(this, writer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Parses type JSON. The optional third element of an {@code "object"} type (the list of
     * optional attributes of a type constraint) is accepted and ignored.
     *
     * @throws IllegalArgumentException if the text is not valid type JSON
     */
    static TfType fromJson(String json) {
        Objects.requireNonNull(json, "json");
        try (JsonReader reader = new JsonReader(new StringReader(json))) {
            reader.setStrictness(Strictness.STRICT);
            TfType type = TypeJson.read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("unexpected content after type JSON: " + abbreviate(json));
            }
            return type;
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid type JSON " + abbreviate(json) + ": " + e.getMessage(), e);
        }
    }

    /** True for string, number and bool. */
    default boolean isPrimitive() {
        return this instanceof Primitive;
    }

    /** True for list, set and map. */
    default boolean isCollection() {
        return this instanceof ListType || this instanceof SetType || this instanceof MapType;
    }

    /** True if this type is {@link #DYNAMIC} or has {@link #DYNAMIC} anywhere inside. */
    default boolean containsDynamic() {
        if (this instanceof Dynamic) {
            return true;
        }
        if (this instanceof ListType l) {
            return l.elementType().containsDynamic();
        }
        if (this instanceof SetType s) {
            return s.elementType().containsDynamic();
        }
        if (this instanceof MapType m) {
            return m.elementType().containsDynamic();
        }
        if (this instanceof ObjectType o) {
            return o.attributeTypes().values().stream().anyMatch(TfType::containsDynamic);
        }
        if (this instanceof TupleType t) {
            return t.elementTypes().stream().anyMatch(TfType::containsDynamic);
        }
        return false;
    }

    /**
     * True if a value of type {@code actual} may stand where this type is expected: the types are
     * equal, except that {@link #DYNAMIC} in this type accepts any type at that position.
     */
    default boolean accepts(TfType actual) {
        Objects.requireNonNull(actual, "actual");
        if (this instanceof Dynamic || this.equals(actual)) {
            return true;
        }
        if (this instanceof ListType l && actual instanceof ListType a) {
            return l.elementType().accepts(a.elementType());
        }
        if (this instanceof SetType s && actual instanceof SetType a) {
            return s.elementType().accepts(a.elementType());
        }
        if (this instanceof MapType m && actual instanceof MapType a) {
            return m.elementType().accepts(a.elementType());
        }
        if (this instanceof ObjectType o && actual instanceof ObjectType a) {
            if (!o.attributeTypes().keySet().equals(a.attributeTypes().keySet())) {
                return false;
            }
            for (Map.Entry<String, TfType> e : o.attributeTypes().entrySet()) {
                if (!e.getValue().accepts(a.attributeTypes().get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (this instanceof TupleType t && actual instanceof TupleType a) {
            if (t.elementTypes().size() != a.elementTypes().size()) {
                return false;
            }
            for (int i = 0; i < t.elementTypes().size(); i++) {
                if (!t.elementTypes().get(i).accepts(a.elementTypes().get(i))) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** string, number or bool. */
    enum Primitive implements TfType {
        STRING("string"),
        NUMBER("number"),
        BOOL("bool");

        private final String jsonName;

        Primitive(String jsonName) {
            this.jsonName = jsonName;
        }

        /** The name used in type JSON. */
        public String jsonName() {
            return jsonName;
        }

        @Override
        public String toString() {
            return jsonName;
        }
    }

    /** The dynamic pseudo-type ("any"). */
    enum Dynamic implements TfType {
        INSTANCE;

        @Override
        public String toString() {
            return "dynamic";
        }
    }

    /** list(T). */
    record ListType(TfType elementType) implements TfType {
        public ListType {
            Objects.requireNonNull(elementType, "elementType");
        }

        @Override
        public String toString() {
            return "list(" + elementType + ")";
        }
    }

    /** set(T). */
    record SetType(TfType elementType) implements TfType {
        public SetType {
            Objects.requireNonNull(elementType, "elementType");
        }

        @Override
        public String toString() {
            return "set(" + elementType + ")";
        }
    }

    /** map(T), with string keys. */
    record MapType(TfType elementType) implements TfType {
        public MapType {
            Objects.requireNonNull(elementType, "elementType");
        }

        @Override
        public String toString() {
            return "map(" + elementType + ")";
        }
    }

    /** object({name=T, ...}); attributes are kept sorted by name. */
    record ObjectType(Map<String, TfType> attributeTypes) implements TfType {
        public ObjectType {
            Objects.requireNonNull(attributeTypes, "attributeTypes");
            SortedMap<String, TfType> copy = new TreeMap<>();
            attributeTypes.forEach((name, type) -> copy.put(
                    Objects.requireNonNull(name, "attribute name"),
                    Objects.requireNonNull(type, () -> "type of attribute " + name)));
            attributeTypes = Collections.unmodifiableSortedMap(copy);
        }

        /**
         * The type of one attribute.
         *
         * @throws IllegalArgumentException if the object type has no such attribute
         */
        public TfType attributeType(String name) {
            TfType type = attributeTypes.get(name);
            if (type == null) {
                throw new IllegalArgumentException(
                        "object type has no attribute \"" + name + "\"; it has " + attributeTypes.keySet());
            }
            return type;
        }

        public boolean hasAttribute(String name) {
            return attributeTypes.containsKey(name);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("object({");
            boolean first = true;
            for (Map.Entry<String, TfType> e : attributeTypes.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(e.getKey()).append('=').append(e.getValue());
            }
            return sb.append("})").toString();
        }
    }

    /** tuple([T, ...]). */
    record TupleType(List<TfType> elementTypes) implements TfType {
        public TupleType {
            Objects.requireNonNull(elementTypes, "elementTypes");
            elementTypes = List.copyOf(elementTypes);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("tuple([");
            for (int i = 0; i < elementTypes.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(elementTypes.get(i));
            }
            return sb.append("])").toString();
        }
    }
}
