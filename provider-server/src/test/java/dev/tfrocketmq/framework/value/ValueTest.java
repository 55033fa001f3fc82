package dev.tfrocketmq.framework.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueTest {
    private static final TfType.ObjectType ABC = TfType.object(
            Map.of("a", TfType.STRING, "b", TfType.STRING, "c", TfType.NUMBER, "n", TfType.list(TfType.NUMBER)));

    private static Value abc(Value b) {
        return Value.object(
                ABC,
                Map.of(
                        "a", Value.string("x"),
                        "b", b,
                        "c", Value.nullOf(TfType.NUMBER),
                        "n", Value.list(TfType.NUMBER, List.of(Value.number(1), Value.number(2)))));
    }

    @Test
    void numbersCompareByValueRegardlessOfScale() {
        assertThat(Value.number(new BigDecimal("1"))).isEqualTo(Value.number(new BigDecimal("1.00")));
        assertThat(Value.number(new BigDecimal("1")).hashCode())
                .isEqualTo(Value.number(new BigDecimal("1.00")).hashCode());
        assertThat(Value.number(new BigDecimal("0.000")).hashCode())
                .isEqualTo(Value.number(0).hashCode());
        assertThat(Value.number(new BigDecimal("100"))).isEqualTo(Value.number(new BigDecimal("1E+2")));
        assertThat(Value.number(1)).isNotEqualTo(Value.number(new BigDecimal("1.0000001")));
    }

    @Test
    void twoUnknownsOfTheSameTypeAreEqual() {
        assertThat(Value.unknown(TfType.STRING)).isEqualTo(Value.unknown(TfType.STRING));
        assertThat(Value.unknown(TfType.STRING).hashCode())
                .isEqualTo(Value.unknown(TfType.STRING).hashCode());
        assertThat(Value.unknown(TfType.STRING)).isEqualTo(Value.unknownNotNull(TfType.STRING));
    }

    @Test
    void unknownsOfDifferentTypesAreNotEqual() {
        assertThat(Value.unknown(TfType.STRING)).isNotEqualTo(Value.unknown(TfType.NUMBER));
    }

    @Test
    void unknownAndNullAreNotEqual() {
        assertThat(Value.unknown(TfType.STRING)).isNotEqualTo(Value.nullOf(TfType.STRING));
        assertThat(Value.nullOf(TfType.STRING)).isNotEqualTo(Value.string(""));
    }

    @Test
    void nullsOfTheSameTypeAreEqualAndOfDifferentTypesAreNot() {
        assertThat(Value.nullOf(TfType.list(TfType.STRING))).isEqualTo(Value.nullOf(TfType.list(TfType.STRING)));
        assertThat(Value.nullOf(TfType.list(TfType.STRING))).isNotEqualTo(Value.nullOf(TfType.set(TfType.STRING)));
    }

    @Test
    void setsCompareRegardlessOfOrder() {
        Value ab = Value.set(TfType.STRING, List.of(Value.string("a"), Value.string("b")));
        Value ba = Value.set(TfType.STRING, List.of(Value.string("b"), Value.string("a")));
        assertThat(ab).isEqualTo(ba);
        assertThat(ab.hashCode()).isEqualTo(ba.hashCode());
        assertThat(ab).isNotEqualTo(Value.set(TfType.STRING, List.of(Value.string("a"))));
    }

    @Test
    void listsCompareInOrder() {
        Value ab = Value.list(TfType.STRING, List.of(Value.string("a"), Value.string("b")));
        Value ba = Value.list(TfType.STRING, List.of(Value.string("b"), Value.string("a")));
        assertThat(ab).isNotEqualTo(ba);
    }

    @Test
    void setsDropWhollyKnownDuplicatesKeepingFirstSeenOrder() {
        Value set = Value.set(
                TfType.NUMBER,
                List.of(Value.number(3), Value.number(1), Value.number(new BigDecimal("3.0")), Value.number(2)));
        assertThat(set.elements()).extracting(Value::asLong).containsExactly(3L, 1L, 2L);
        assertThat(set.elements().get(0).asNumber()).isEqualTo(new BigDecimal(3));
    }

    @Test
    void setsKeepElementsThatContainUnknownsApart() {
        TfType.ObjectType block = TfType.object(Map.of("id", TfType.STRING, "name", TfType.STRING));
        Value first = Value.object(block, Map.of("id", Value.unknown(TfType.STRING), "name", Value.string("n")));
        Value second = Value.object(block, Map.of("id", Value.unknown(TfType.STRING), "name", Value.string("n")));
        Value set = Value.set(block, List.of(first, second));
        assertThat(set.elements()).hasSize(2);
        assertThat(set).isEqualTo(Value.set(block, List.of(second, first)));
        assertThat(set).isNotEqualTo(Value.set(block, List.of(first)));
    }

    @Test
    void isKnownIsTrueForNullButFalseForUnknown() {
        assertThat(Value.nullOf(TfType.STRING).isKnown()).isTrue();
        assertThat(Value.nullOf(TfType.STRING).isNull()).isTrue();
        assertThat(Value.unknown(TfType.STRING).isKnown()).isFalse();
        assertThat(Value.unknown(TfType.STRING).isUnknown()).isTrue();
        assertThat(Value.string("s").isKnown()).isTrue();
        assertThat(Value.string("s").isNull()).isFalse();
    }

    @Test
    void whollyKnownLooksAtEveryDepth() {
        assertThat(abc(Value.string("y")).isWhollyKnown()).isTrue();
        assertThat(abc(Value.unknown(TfType.STRING)).isWhollyKnown()).isFalse();
        Value deep = Value.map(
                TfType.list(TfType.STRING),
                Map.of("k", Value.list(TfType.STRING, List.of(Value.string("a"), Value.unknown(TfType.STRING)))));
        assertThat(deep.isWhollyKnown()).isFalse();
        assertThat(deep.isKnown()).isTrue();
        assertThat(Value.nullOf(ABC).isWhollyKnown()).isTrue();
    }

    @Test
    void toStringRendersAReadableValue() {
        assertThat(abc(Value.unknown(TfType.STRING))).hasToString("{a=\"x\", b=<unknown>, c=null, n=[1, 2]}");
        assertThat(Value.map(TfType.BOOL, Map.of("k", Value.bool(true)))).hasToString("{\"k\"=true}");
        assertThat(Value.number(new BigDecimal("1E+3"))).hasToString("1000");
    }

    @Test
    void accessorsReturnTheKnownContent() {
        assertThat(Value.string("s").asString()).isEqualTo("s");
        assertThat(Value.bool(true).asBool()).isTrue();
        assertThat(Value.number(new BigDecimal("42.0")).asLong()).isEqualTo(42L);
        assertThat(Value.number(7).asInt()).isEqualTo(7);
        assertThat(Value.number(new BigDecimal("0.1")).asNumber()).isEqualTo(new BigDecimal("0.1"));
    }

    @Test
    void asLongRejectsFractionsAndOverflow() {
        assertThatThrownBy(() -> Value.number(new BigDecimal("1.5")).asLong()).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() ->
                        Value.number(new BigDecimal("9223372036854775808")).asLong())
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Value.number(Long.MAX_VALUE).asInt()).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void accessorsRejectNullUnknownAndOtherTypes() {
        assertThatThrownBy(() -> Value.nullOf(TfType.STRING).asString())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("null");
        assertThatThrownBy(() -> Value.unknown(TfType.STRING).asString())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unknown");
        assertThatThrownBy(() -> Value.number(1).asString()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Value.string("x").elements()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void objectsMustHoldExactlyTheirTypesAttributes() {
        TfType.ObjectType type = TfType.object(Map.of("a", TfType.STRING, "b", TfType.STRING));
        assertThatThrownBy(() -> Value.object(type, Map.of("a", Value.string("x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("b");
        assertThatThrownBy(() -> Value.object(
                        type, Map.of("a", Value.string("x"), "b", Value.string("y"), "c", Value.string("z"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("c");
    }

    @Test
    void objectsRejectAttributesOfTheWrongType() {
        TfType.ObjectType type = TfType.object(Map.of("a", TfType.STRING));
        assertThatThrownBy(() -> Value.object(type, Map.of("a", Value.number(1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a");
    }

    @Test
    void collectionsRejectElementsOfTheWrongType() {
        assertThatThrownBy(() -> Value.list(TfType.STRING, List.of(Value.bool(true))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Value.map(TfType.STRING, Map.of("k", Value.number(1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Value.tuple(List.of(TfType.STRING), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dynamicPlacesAcceptConcreteValuesAndDynamicNullsOrUnknownsFitAnywhere() {
        TfType.ObjectType type = TfType.object(Map.of("any", TfType.DYNAMIC, "s", TfType.STRING));
        Value v = Value.object(type, Map.of("any", Value.string("x"), "s", Value.unknown(TfType.DYNAMIC)));
        assertThat(v.attribute("any").type()).isEqualTo(TfType.STRING);
        assertThat(Value.list(TfType.STRING, List.of(Value.nullOf(TfType.DYNAMIC)))
                        .elements())
                .hasSize(1);
    }

    @Test
    void attributeReadsOneAttributeAndRejectsUnknownNames() {
        Value v = abc(Value.string("y"));
        assertThat(v.attribute("b")).isEqualTo(Value.string("y"));
        assertThatThrownBy(() -> v.attribute("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope");
        assertThat(v.attributes().keySet()).containsExactly("a", "b", "c", "n");
    }

    @Test
    void attributeOfAnUnknownObjectIsUnknown() {
        assertThat(Value.unknown(ABC).attribute("c")).isEqualTo(Value.unknown(TfType.NUMBER));
    }

    @Test
    void withAttributeReturnsAModifiedCopy() {
        Value original = abc(Value.string("y"));
        Value changed = original.withAttribute("b", Value.unknown(TfType.STRING));
        assertThat(changed.attribute("b").isUnknown()).isTrue();
        assertThat(original.attribute("b")).isEqualTo(Value.string("y"));
        assertThat(changed.attribute("a")).isEqualTo(Value.string("x"));
        assertThatThrownBy(() -> original.withAttribute("zzz", Value.string("q")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mapEntriesAreSortedByKeyAndImmutable() {
        Map<String, Value> entries = new HashMap<>();
        entries.put("z", Value.string("1"));
        entries.put("a", Value.string("2"));
        Value map = Value.map(TfType.STRING, entries);
        entries.put("m", Value.string("3"));
        assertThat(map.entries().keySet()).containsExactly("a", "z");
        assertThatThrownBy(() -> map.entries().put("b", Value.string("x")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void tuplesCarryTheirElementTypes() {
        Value t = Value.tuple(List.of(TfType.STRING, TfType.NUMBER), List.of(Value.string("a"), Value.number(1)));
        assertThat(t.type()).isEqualTo(TfType.tuple(List.of(TfType.STRING, TfType.NUMBER)));
        assertThat(t.elements()).containsExactly(Value.string("a"), Value.number(1));
    }

    @Test
    void stringsAreNormalisedToNfcLikeTerraformDoes() {
        String decomposed = "e\u0301";
        assertThat(Value.string(decomposed).asString()).isEqualTo("\u00e9");
        assertThat(Value.string(decomposed)).isEqualTo(Value.string("\u00e9"));
    }

    @Test
    void definitelyNotNullCoversKnownValuesAndRefinedUnknowns() {
        assertThat(Value.string("x").isDefinitelyNotNull()).isTrue();
        assertThat(Value.unknownNotNull(TfType.STRING).isDefinitelyNotNull()).isTrue();
        assertThat(Value.unknown(TfType.STRING).isDefinitelyNotNull()).isFalse();
        assertThat(Value.nullOf(TfType.STRING).isDefinitelyNotNull()).isFalse();
    }
}
