package dev.tfrocketmq.framework.value;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable Terraform value: known, null or unknown, at any depth.
 *
 * <p>A known value's {@link #type()} is concrete where the schema says {@link TfType#DYNAMIC}:
 * for a dynamic attribute holding a string, the attribute value is a {@link #string(String)}. Only
 * null and unknown values may have the type {@link TfType#DYNAMIC} itself, and such values fit
 * into any place.
 *
 * <p>Equality is structural and exact: types must be equal, two unknowns of the same type are
 * equal (refinements are ignored), numbers compare by numeric value ({@code 1} equals {@code
 * 1.00}) and sets compare regardless of order.
 *
 * <p>Sets follow Terraform's rules: wholly known duplicates collapse into one element, while
 * elements that contain unknowns are kept apart, because they may turn out to differ.
 */
public final class Value {
    private enum State {
        NULL,
        UNKNOWN,
        KNOWN
    }

    private final TfType type;
    private final State state;
    /** String, BigDecimal, Boolean, List&lt;Value&gt; (list/set/tuple) or SortedMap (map/object). */
    private final Object payload;
    /** For unknowns: refined as "definitely not null". */
    private final boolean refinedNotNull;

    private final boolean whollyKnown;
    private final int hash;

    private Value(TfType type, State state, Object payload, boolean refinedNotNull) {
        this.type = type;
        this.state = state;
        this.payload = payload;
        this.refinedNotNull = refinedNotNull;
        this.whollyKnown = computeWhollyKnown(state, payload);
        this.hash = computeHash();
    }

    // ---------------------------------------------------------------- factories

    /** A null of the given type. */
    public static Value nullOf(TfType type) {
        return new Value(Objects.requireNonNull(type, "type"), State.NULL, null, false);
    }

    /** An unknown of the given type. */
    public static Value unknown(TfType type) {
        return new Value(Objects.requireNonNull(type, "type"), State.UNKNOWN, null, false);
    }

    /**
     * An unknown of the given type that is known not to be null once known. The refinement is kept
     * for information only: it does not take part in equality and is not encoded.
     */
    public static Value unknownNotNull(TfType type) {
        return new Value(Objects.requireNonNull(type, "type"), State.UNKNOWN, null, !(type instanceof TfType.Dynamic));
    }

    /** A known string; like Terraform, the text is normalised to Unicode NFC. */
    public static Value string(String s) {
        Objects.requireNonNull(s, "s");
        String normalized =
                Normalizer.isNormalized(s, Normalizer.Form.NFC) ? s : Normalizer.normalize(s, Normalizer.Form.NFC);
        return new Value(TfType.STRING, State.KNOWN, normalized, false);
    }

    public static Value number(BigDecimal n) {
        return new Value(TfType.NUMBER, State.KNOWN, Objects.requireNonNull(n, "n"), false);
    }

    public static Value number(long n) {
        return number(BigDecimal.valueOf(n));
    }

    public static Value bool(boolean b) {
        return new Value(TfType.BOOL, State.KNOWN, b, false);
    }

    public static Value list(TfType elementType, List<Value> elements) {
        Objects.requireNonNull(elementType, "elementType");
        List<Value> copy = List.copyOf(elements);
        for (int i = 0; i < copy.size(); i++) {
            requireFits(copy.get(i), elementType, "list element " + i);
        }
        return new Value(TfType.list(elementType), State.KNOWN, copy, false);
    }

    /**
     * A known set. Wholly known elements that are equal are collapsed, keeping the first one seen;
     * the remaining elements keep their order. Elements containing unknowns are never collapsed.
     */
    public static Value set(TfType elementType, Collection<Value> elements) {
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(elements, "elements");
        List<Value> distinct = new ArrayList<>(elements.size());
        Set<Value> seen = new HashSet<>();
        int i = 0;
        for (Value element : elements) {
            Objects.requireNonNull(element, "set element");
            requireFits(element, elementType, "set element " + i++);
            if (!element.isWhollyKnown() || seen.add(element)) {
                distinct.add(element);
            }
        }
        return new Value(TfType.set(elementType), State.KNOWN, List.copyOf(distinct), false);
    }

    /** A known map; entries are kept sorted by key. */
    public static Value map(TfType elementType, Map<String, Value> entries) {
        Objects.requireNonNull(elementType, "elementType");
        SortedMap<String, Value> copy = new TreeMap<>();
        entries.forEach((key, value) -> {
            Objects.requireNonNull(key, "map key");
            Objects.requireNonNull(value, () -> "map value for key \"" + key + "\"");
            requireFits(value, elementType, "map element \"" + key + "\"");
            copy.put(key, value);
        });
        return new Value(TfType.map(elementType), State.KNOWN, Collections.unmodifiableSortedMap(copy), false);
    }

    /**
     * A known object.
     *
     * @throws IllegalArgumentException unless the map holds exactly the type's attributes, each of a
     *     fitting type
     */
    public static Value object(TfType.ObjectType type, Map<String, Value> attributes) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(attributes, "attributes");
        Set<String> missing = new TreeSet<>(type.attributeTypes().keySet());
        missing.removeAll(attributes.keySet());
        Set<String> extra = new TreeSet<>(attributes.keySet());
        extra.removeAll(type.attributeTypes().keySet());
        if (!missing.isEmpty() || !extra.isEmpty()) {
            StringBuilder msg = new StringBuilder("object attributes do not match its type " + type);
            if (!missing.isEmpty()) {
                msg.append("; missing: ").append(missing);
            }
            if (!extra.isEmpty()) {
                msg.append("; not in the type: ").append(extra);
            }
            throw new IllegalArgumentException(msg.toString());
        }
        SortedMap<String, Value> copy = new TreeMap<>();
        for (Map.Entry<String, TfType> e : type.attributeTypes().entrySet()) {
            Value v = Objects.requireNonNull(attributes.get(e.getKey()), () -> "attribute " + e.getKey());
            requireFits(v, e.getValue(), "attribute \"" + e.getKey() + "\"");
            copy.put(e.getKey(), v);
        }
        return new Value(type, State.KNOWN, Collections.unmodifiableSortedMap(copy), false);
    }

    public static Value tuple(List<TfType> types, List<Value> elements) {
        TfType.TupleType tupleType = TfType.tuple(types);
        List<Value> copy = List.copyOf(elements);
        if (copy.size() != tupleType.elementTypes().size()) {
            throw new IllegalArgumentException("tuple " + tupleType + " needs "
                    + tupleType.elementTypes().size() + " elements, got " + copy.size());
        }
        for (int i = 0; i < copy.size(); i++) {
            requireFits(copy.get(i), tupleType.elementTypes().get(i), "tuple element " + i);
        }
        return new Value(tupleType, State.KNOWN, copy, false);
    }

    /** True if the value may stand where {@code expected} is required. */
    static boolean fits(Value value, TfType expected) {
        if (!value.isKnown() || value.isNull()) {
            if (value.type instanceof TfType.Dynamic) {
                return true;
            }
        }
        return expected.accepts(value.type);
    }

    private static void requireFits(Value value, TfType expected, String what) {
        Objects.requireNonNull(value, what);
        if (!fits(value, expected)) {
            throw new IllegalArgumentException(what + " has type " + value.type + " but " + expected + " is required");
        }
    }

    // ---------------------------------------------------------------- state

    public TfType type() {
        return type;
    }

    public boolean isNull() {
        return state == State.NULL;
    }

    public boolean isUnknown() {
        return state == State.UNKNOWN;
    }

    /** True unless unknown; a null is known. */
    public boolean isKnown() {
        return state != State.UNKNOWN;
    }

    /** True if no unknown appears anywhere in this value. */
    public boolean isWhollyKnown() {
        return whollyKnown;
    }

    /** True for known non-null values and for unknowns refined as not null. */
    public boolean isDefinitelyNotNull() {
        return state == State.KNOWN || refinedNotNull;
    }

    // ---------------------------------------------------------------- accessors

    public String asString() {
        return (String) known(TfType.STRING, "a string");
    }

    public BigDecimal asNumber() {
        return (BigDecimal) known(TfType.NUMBER, "a number");
    }

    /**
     * The number as a long.
     *
     * @throws ArithmeticException if it has a fractional part or is out of range
     */
    public long asLong() {
        return asNumber().longValueExact();
    }

    /**
     * The number as an int.
     *
     * @throws ArithmeticException if it has a fractional part or is out of range
     */
    public int asInt() {
        return asNumber().intValueExact();
    }

    public boolean asBool() {
        return (Boolean) known(TfType.BOOL, "a bool");
    }

    /** The elements of a list, set or tuple (sets in first-seen order). */
    @SuppressWarnings("unchecked")
    public List<Value> elements() {
        if (!(type instanceof TfType.ListType || type instanceof TfType.SetType || type instanceof TfType.TupleType)) {
            throw new IllegalStateException("value of type " + type + " is not a list, set or tuple");
        }
        requireKnownNotNull();
        return (List<Value>) payload;
    }

    /** The entries of a map, sorted by key. */
    @SuppressWarnings("unchecked")
    public Map<String, Value> entries() {
        if (!(type instanceof TfType.MapType)) {
            throw new IllegalStateException("value of type " + type + " is not a map");
        }
        requireKnownNotNull();
        return (Map<String, Value>) payload;
    }

    /**
     * One attribute of an object. An unknown object yields an unknown of the attribute's type.
     *
     * @throws IllegalArgumentException if the object type has no such attribute
     * @throws IllegalStateException if this is not an object or is null
     */
    public Value attribute(String name) {
        TfType.ObjectType objectType = objectType();
        TfType attributeType = objectType.attributeType(name);
        if (isUnknown()) {
            return unknown(attributeType);
        }
        return attributes().get(name);
    }

    /** The attributes of an object, sorted by name. */
    @SuppressWarnings("unchecked")
    public Map<String, Value> attributes() {
        objectType();
        requireKnownNotNull();
        return (Map<String, Value>) payload;
    }

    /** A copy of this object with one attribute replaced. */
    public Value withAttribute(String name, Value v) {
        TfType.ObjectType objectType = objectType();
        objectType.attributeType(name);
        Map<String, Value> copy = new TreeMap<>(attributes());
        copy.put(name, Objects.requireNonNull(v, "v"));
        return object(objectType, copy);
    }

    private TfType.ObjectType objectType() {
        if (type instanceof TfType.ObjectType o) {
            return o;
        }
        throw new IllegalStateException("value of type " + type + " is not an object");
    }

    private Object known(TfType expected, String what) {
        if (!type.equals(expected)) {
            throw new IllegalStateException("value of type " + type + " is not " + what);
        }
        requireKnownNotNull();
        return payload;
    }

    private void requireKnownNotNull() {
        if (state == State.NULL) {
            throw new IllegalStateException("value of type " + type + " is null");
        }
        if (state == State.UNKNOWN) {
            throw new IllegalStateException("value of type " + type + " is unknown");
        }
    }

    // ---------------------------------------------------------------- equality

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Value other)) {
            return false;
        }
        if (state != other.state || !type.equals(other.type)) {
            return false;
        }
        if (state != State.KNOWN) {
            return true;
        }
        if (hash != other.hash) {
            return false;
        }
        if (payload instanceof BigDecimal n) {
            return n.compareTo((BigDecimal) other.payload) == 0;
        }
        if (type instanceof TfType.SetType) {
            return sameElements(castList(payload), castList(other.payload));
        }
        return payload.equals(other.payload);
    }

    @SuppressWarnings("unchecked")
    private static List<Value> castList(Object payload) {
        return (List<Value>) payload;
    }

    /** Multiset comparison: elements holding unknowns may legitimately repeat in a set. */
    private static boolean sameElements(List<Value> a, List<Value> b) {
        if (a.size() != b.size()) {
            return false;
        }
        Map<Value, Integer> counts = new HashMap<>();
        for (Value v : a) {
            counts.merge(v, 1, Integer::sum);
        }
        for (Value v : b) {
            Integer n = counts.get(v);
            if (n == null) {
                return false;
            }
            if (n == 1) {
                counts.remove(v);
            } else {
                counts.put(v, n - 1);
            }
        }
        return counts.isEmpty();
    }

    @Override
    public int hashCode() {
        return hash;
    }

    private int computeHash() {
        int h = type.hashCode() * 31 + state.ordinal();
        if (state == State.KNOWN) {
            h = h * 31 + payloadHash();
        }
        return h;
    }

    private int payloadHash() {
        if (payload instanceof BigDecimal n) {
            return n.signum() == 0 ? 0 : n.stripTrailingZeros().hashCode();
        }
        if (type instanceof TfType.SetType) {
            int sum = 0;
            for (Value v : castList(payload)) {
                sum += v.hashCode();
            }
            return sum;
        }
        return payload.hashCode();
    }

    private static boolean computeWhollyKnown(State state, Object payload) {
        if (state == State.UNKNOWN) {
            return false;
        }
        if (payload instanceof List<?> list) {
            for (Object o : list) {
                if (!((Value) o).whollyKnown) {
                    return false;
                }
            }
        } else if (payload instanceof Map<?, ?> map) {
            for (Object o : map.values()) {
                if (!((Value) o).whollyKnown) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- text

    /** A readable rendering, e.g. {@code {a="x", b=<unknown>, c=null, n=[1, 2]}}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        render(sb);
        return sb.toString();
    }

    private void render(StringBuilder sb) {
        if (state == State.NULL) {
            sb.append("null");
            return;
        }
        if (state == State.UNKNOWN) {
            sb.append("<unknown>");
            return;
        }
        if (payload instanceof String s) {
            ValuePath.appendQuoted(sb, s);
        } else if (payload instanceof BigDecimal n) {
            sb.append(Numbers.text(n));
        } else if (payload instanceof Boolean b) {
            sb.append(b);
        } else if (payload instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                ((Value) list.get(i)).render(sb);
            }
            sb.append(']');
        } else if (payload instanceof Map<?, ?> map) {
            boolean quoteKeys = type instanceof TfType.MapType;
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                if (quoteKeys) {
                    ValuePath.appendQuoted(sb, (String) e.getKey());
                } else {
                    sb.append(e.getKey());
                }
                sb.append('=');
                ((Value) e.getValue()).render(sb);
            }
            sb.append('}');
        }
    }
}
