package dev.tfrocketmq.framework.value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The msgpack encoding Terraform uses for {@code DynamicValue.msgpack}.
 *
 * <ul>
 *   <li>null is nil; strings are str; bools are bool;
 *   <li>numbers are written as the smallest int if exactly a long, else as float64 if exactly a
 *       double, else as a decimal string; any int, float or decimal string is read;
 *   <li>lists, sets and tuples are arrays; maps are maps with str keys; objects are maps with
 *       exactly one entry per attribute (written sorted by name);
 *   <li>where the schema says dynamic, a value is the array [type JSON as bin, value], or nil, or
 *       an unknown;
 *   <li>an unknown is any extension value on input and always {@code d4 00 00} on output.
 * </ul>
 *
 * <p>A decoded value has the schema type, except where the schema says dynamic: there it carries
 * the concrete type named on the wire.
 */
public final class Msgpack {
    /** Extension code of an unknown with refinements. */
    private static final int REFINED_UNKNOWN_CODE = 12;
    /** Refinement payloads beyond this size are not interpreted. */
    private static final int MAX_REFINEMENT_PAYLOAD = 1024;

    private static final int REFINEMENT_NULLNESS = 1;
    /** Deepest nesting accepted on input (dynamic wrappers count as a level). */
    static final int MAX_DEPTH = 512;

    private Msgpack() {}

    /**
     * Encodes a value that fits the schema type.
     *
     * @throws ValueCodecException if the value does not fit the schema type
     */
    public static byte[] encode(Value value, TfType schemaType) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(schemaType, "schemaType");
        MsgpackWriter out = new MsgpackWriter();
        write(out, value, schemaType, ValuePath.root());
        return out.toByteArray();
    }

    /**
     * Decodes a value of the schema type. An empty (or null) array is a null value.
     *
     * @throws ValueCodecException if the data is malformed or does not fit the schema type
     */
    public static Value decode(byte[] bytes, TfType schemaType) {
        Objects.requireNonNull(schemaType, "schemaType");
        if (bytes == null || bytes.length == 0) {
            return Value.nullOf(schemaType);
        }
        MsgpackReader in = new MsgpackReader(bytes);
        Value value = read(in, schemaType, ValuePath.root(), 0);
        if (!in.atEnd()) {
            throw new ValueCodecException(
                    ValuePath.root(), in.remaining() + " unexpected bytes after the end of the value");
        }
        return value;
    }

    // ---------------------------------------------------------------- encoding

    private static void write(MsgpackWriter out, Value value, TfType type, ValuePath path) {
        if (type instanceof TfType.Dynamic && !(value.type() instanceof TfType.Dynamic)) {
            out.writeArrayHeader(2);
            out.writeBinary(value.type().toJson().getBytes(StandardCharsets.UTF_8));
            write(out, value, value.type(), path);
            return;
        }
        if (value.isUnknown() || value.isNull()) {
            if (!Value.fits(value, type)) {
                throw mismatch(value, type, path);
            }
            if (value.isUnknown()) {
                out.writeUnknown();
            } else {
                out.writeNil();
            }
            return;
        }
        if (type instanceof TfType.Primitive) {
            if (!value.type().equals(type)) {
                throw mismatch(value, type, path);
            }
            if (type == TfType.STRING) {
                out.writeString(value.asString());
            } else if (type == TfType.BOOL) {
                out.writeBool(value.asBool());
            } else {
                writeNumber(out, value.asNumber());
            }
        } else if (type instanceof TfType.ListType l) {
            requireKind(value, type, TfType.ListType.class, path);
            writeElements(out, value.elements(), l.elementType(), path);
        } else if (type instanceof TfType.SetType s) {
            requireKind(value, type, TfType.SetType.class, path);
            writeElements(out, value.elements(), s.elementType(), path);
        } else if (type instanceof TfType.TupleType t) {
            requireKind(value, type, TfType.TupleType.class, path);
            List<Value> elements = value.elements();
            if (elements.size() != t.elementTypes().size()) {
                throw mismatch(value, type, path);
            }
            out.writeArrayHeader(elements.size());
            for (int i = 0; i < elements.size(); i++) {
                write(out, elements.get(i), t.elementTypes().get(i), path.index(i));
            }
        } else if (type instanceof TfType.MapType m) {
            requireKind(value, type, TfType.MapType.class, path);
            Map<String, Value> entries = value.entries();
            out.writeMapHeader(entries.size());
            for (Map.Entry<String, Value> e : entries.entrySet()) {
                out.writeString(e.getKey());
                write(out, e.getValue(), m.elementType(), path.key(e.getKey()));
            }
        } else if (type instanceof TfType.ObjectType o) {
            requireKind(value, type, TfType.ObjectType.class, path);
            Map<String, Value> attributes = value.attributes();
            if (!attributes.keySet().equals(o.attributeTypes().keySet())) {
                throw new ValueCodecException(path, attributeMismatch(attributes.keySet(), o));
            }
            out.writeMapHeader(o.attributeTypes().size());
            for (Map.Entry<String, TfType> e : o.attributeTypes().entrySet()) {
                out.writeString(e.getKey());
                write(out, attributes.get(e.getKey()), e.getValue(), path.attribute(e.getKey()));
            }
        } else {
            throw new ValueCodecException(path, "cannot encode a known value of type " + type);
        }
    }

    static ValueCodecException mismatch(Value value, TfType type, ValuePath path) {
        return new ValueCodecException(path, "value of type " + value.type() + " does not fit the schema type " + type);
    }

    static void requireKind(Value value, TfType type, Class<? extends TfType> kind, ValuePath path) {
        if (!kind.isInstance(value.type())) {
            throw mismatch(value, type, path);
        }
    }

    static String attributeMismatch(Set<String> present, TfType.ObjectType type) {
        Set<String> missing = new TreeSet<>(type.attributeTypes().keySet());
        missing.removeAll(present);
        Set<String> extra = new TreeSet<>(present);
        extra.removeAll(type.attributeTypes().keySet());
        StringBuilder sb = new StringBuilder("object attributes do not match the schema type");
        if (!missing.isEmpty()) {
            sb.append("; missing ").append(quoted(missing));
        }
        if (!extra.isEmpty()) {
            sb.append("; unexpected ").append(quoted(extra));
        }
        return sb.toString();
    }

    private static void writeElements(MsgpackWriter out, List<Value> elements, TfType elementType, ValuePath path) {
        out.writeArrayHeader(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            write(out, elements.get(i), elementType, path.index(i));
        }
    }

    private static void writeNumber(MsgpackWriter out, BigDecimal n) {
        try {
            out.writeLong(n.longValueExact());
            return;
        } catch (ArithmeticException notALong) {
            // fall through to float64 or a decimal string
        }
        double d = n.doubleValue();
        if (Double.isFinite(d) && new BigDecimal(d).compareTo(n) == 0) {
            out.writeDouble(d);
            return;
        }
        out.writeString(Numbers.text(n));
    }

    // ---------------------------------------------------------------- decoding

    private static Value read(MsgpackReader in, TfType type, ValuePath path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new ValueCodecException(path, "value is nested more than " + MAX_DEPTH + " levels deep");
        }
        int format = in.peekFormat(path);
        if (MsgpackReader.isExt(format)) {
            return readUnknown(in, type, path);
        }
        if (MsgpackReader.isNil(format)) {
            in.skipNil(path);
            return Value.nullOf(type);
        }
        if (type instanceof TfType.Dynamic) {
            return readDynamic(in, path, depth);
        }
        if (type == TfType.STRING) {
            return Value.string(in.readString(path));
        }
        if (type == TfType.BOOL) {
            return Value.bool(in.readBool(path));
        }
        if (type == TfType.NUMBER) {
            return Value.number(readNumber(in, path));
        }
        if (type instanceof TfType.ListType l) {
            return Value.list(l.elementType(), readElements(in, l.elementType(), path, depth));
        }
        if (type instanceof TfType.SetType s) {
            return Value.set(s.elementType(), readElements(in, s.elementType(), path, depth));
        }
        if (type instanceof TfType.TupleType t) {
            int n = in.readArrayHeader(path);
            if (n != t.elementTypes().size()) {
                throw new ValueCodecException(
                        path, "a tuple of " + t.elementTypes().size() + " elements is required, got " + n);
            }
            List<Value> elements = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                elements.add(read(in, t.elementTypes().get(i), path.index(i), depth + 1));
            }
            return Value.tuple(t.elementTypes(), elements);
        }
        if (type instanceof TfType.MapType m) {
            int n = in.readMapHeader(path);
            Map<String, Value> entries = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                String key = readKey(in, path, "map key");
                ValuePath at = path.key(key);
                if (entries.containsKey(key)) {
                    throw new ValueCodecException(at, "duplicate map key");
                }
                entries.put(key, read(in, m.elementType(), at, depth + 1));
            }
            return Value.map(m.elementType(), entries);
        }
        if (type instanceof TfType.ObjectType o) {
            return readObject(in, o, path, depth);
        }
        throw new ValueCodecException(path, "cannot decode type " + type);
    }

    private static Value readObject(MsgpackReader in, TfType.ObjectType type, ValuePath path, int depth) {
        if (!in.isMapNext(path)) {
            throw MsgpackReader.wrongFormat(path, "an object (a map)", in.peekFormat(path));
        }
        int n = in.readMapHeader(path);
        Map<String, Value> attributes = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = readKey(in, path, "attribute name");
            if (!type.hasAttribute(name)) {
                throw new ValueCodecException(
                        path,
                        "unexpected attribute \"" + name + "\"; the object type has "
                                + type.attributeTypes().keySet());
            }
            if (attributes.containsKey(name)) {
                throw new ValueCodecException(path, "duplicate attribute \"" + name + "\"");
            }
            attributes.put(name, read(in, type.attributeType(name), path.attribute(name), depth + 1));
        }
        if (attributes.size() != type.attributeTypes().size()) {
            Set<String> missing = new TreeSet<>(type.attributeTypes().keySet());
            missing.removeAll(attributes.keySet());
            throw new ValueCodecException(
                    path, (missing.size() == 1 ? "missing attribute " : "missing attributes ") + quoted(missing));
        }
        return Value.object(type, attributes);
    }

    private static String readKey(MsgpackReader in, ValuePath path, String what) {
        int format = in.peekFormat(path);
        if (!MsgpackReader.isString(format)) {
            throw new ValueCodecException(
                    path, what + " must be a string, got msgpack " + MsgpackReader.describe(format));
        }
        return in.readString(path);
    }

    private static List<Value> readElements(MsgpackReader in, TfType elementType, ValuePath path, int depth) {
        int n = in.readArrayHeader(path);
        List<Value> elements = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            elements.add(read(in, elementType, path.index(i), depth + 1));
        }
        return elements;
    }

    private static Value readDynamic(MsgpackReader in, ValuePath path, int depth) {
        int n = in.readArrayHeader(path);
        if (n != 2) {
            throw new ValueCodecException(
                    path, "a dynamic value must be a [type, value] array of 2 elements, got " + n);
        }
        String typeJson = MsgpackReader.utf8(in.readBinaryOrString(path), path);
        TfType concrete;
        try {
            concrete = TfType.fromJson(typeJson);
        } catch (IllegalArgumentException e) {
            throw new ValueCodecException(path, "dynamic value has an invalid type: " + e.getMessage(), e);
        }
        return read(in, concrete, path, depth + 1);
    }

    private static BigDecimal readNumber(MsgpackReader in, ValuePath path) {
        int format = in.peekFormat(path);
        if (MsgpackReader.isInteger(format)) {
            BigInteger i = in.readInteger(path);
            return new BigDecimal(i);
        }
        if (MsgpackReader.isFloat(format)) {
            double d = in.readFloat(path);
            if (!Double.isFinite(d)) {
                throw new ValueCodecException(
                        path, "number " + d + " is not finite; infinities and NaN are not supported");
            }
            return new BigDecimal(d);
        }
        if (MsgpackReader.isString(format)) {
            String text = in.readString(path);
            try {
                return Numbers.parse(text);
            } catch (NumberFormatException e) {
                throw new ValueCodecException(path, e.getMessage(), e);
            }
        }
        throw MsgpackReader.wrongFormat(path, "a number (integer, float or decimal string)", format);
    }

    private static Value readUnknown(MsgpackReader in, TfType type, ValuePath path) {
        MsgpackReader.Ext ext = in.readExt(path);
        byte[] payload = ext.payload();
        if (ext.code() != REFINED_UNKNOWN_CODE
                || payload.length <= 1
                || payload.length > MAX_REFINEMENT_PAYLOAD
                || type instanceof TfType.Dynamic) {
            return Value.unknown(type);
        }
        Boolean isNull = readNullness(MsgpackReader.over(payload), path);
        if (isNull == null) {
            return Value.unknown(type);
        }
        // A refinement to "definitely null" leaves only one possible value.
        return isNull ? Value.nullOf(type) : Value.unknownNotNull(type);
    }

    /**
     * Reads the refinement map of a refined unknown and returns its nullness entry (null if absent).
     * Other entries (string prefix, number and length bounds, future keys) are skipped; bytes after
     * the map are ignored.
     */
    private static Boolean readNullness(MsgpackReader payload, ValuePath path) {
        try {
            if (!payload.isMapNext(path)) {
                throw new ValueCodecException(path, "not a msgpack map");
            }
            int n = payload.readMapHeader(path);
            Boolean isNull = null;
            for (int i = 0; i < n; i++) {
                int keyFormat = payload.peekFormat(path);
                if (!MsgpackReader.isInteger(keyFormat)) {
                    throw new ValueCodecException(
                            path, "key is not an integer but msgpack " + MsgpackReader.describe(keyFormat));
                }
                BigInteger key = payload.readInteger(path);
                int valueFormat = payload.peekFormat(path);
                if (key.equals(BigInteger.valueOf(REFINEMENT_NULLNESS))
                        && (valueFormat == 0xc2 || valueFormat == 0xc3)) {
                    isNull = payload.readBool(path);
                } else {
                    payload.skipValue(path);
                }
            }
            return isNull;
        } catch (ValueCodecException e) {
            throw new ValueCodecException(path, "malformed unknown value refinements: " + e.problem(), e);
        }
    }

    static String quoted(Set<String> names) {
        List<String> out = new ArrayList<>(names.size());
        for (String name : names) {
            out.add("\"" + name + "\"");
        }
        return String.join(", ", out);
    }
}
