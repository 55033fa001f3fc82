package dev.tfrocketmq.framework.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TfTypeTest {

    @Test
    void primitiveTypesHaveTheirTerraformJsonNames() {
        assertThat(TfType.STRING.toJson()).isEqualTo("\"string\"");
        assertThat(TfType.NUMBER.toJson()).isEqualTo("\"number\"");
        assertThat(TfType.BOOL.toJson()).isEqualTo("\"bool\"");
        assertThat(TfType.DYNAMIC.toJson()).isEqualTo("\"dynamic\"");
    }

    @Test
    void collectionTypesAreWrittenAsKindAndElementArrays() {
        assertThat(TfType.list(TfType.STRING).toJson()).isEqualTo("[\"list\",\"string\"]");
        assertThat(TfType.set(TfType.NUMBER).toJson()).isEqualTo("[\"set\",\"number\"]");
        assertThat(TfType.map(TfType.BOOL).toJson()).isEqualTo("[\"map\",\"bool\"]");
    }

    @Test
    void objectTypesAreWrittenWithSortedAttributes() {
        Map<String, TfType> attributes = new LinkedHashMap<>();
        attributes.put("b", TfType.STRING);
        attributes.put("a", TfType.NUMBER);
        assertThat(TfType.object(attributes).toJson()).isEqualTo("[\"object\",{\"a\":\"number\",\"b\":\"string\"}]");
    }

    @Test
    void tupleTypesAreWrittenWithAnElementArray() {
        assertThat(TfType.tuple(List.of(TfType.STRING, TfType.BOOL)).toJson())
                .isEqualTo("[\"tuple\",[\"string\",\"bool\"]]");
        assertThat(TfType.tuple(List.of()).toJson()).isEqualTo("[\"tuple\",[]]");
    }

    @Test
    void nestedObjectAndTupleTypesRoundTripThroughJson() {
        TfType type = TfType.map(TfType.object(Map.of(
                "name", TfType.STRING,
                "tags", TfType.set(TfType.STRING),
                "pair", TfType.tuple(List.of(TfType.NUMBER, TfType.list(TfType.DYNAMIC))),
                "inner", TfType.object(Map.of("flag", TfType.BOOL)),
                "any", TfType.DYNAMIC)));
        String json = type.toJson();
        assertThat(TfType.fromJson(json)).isEqualTo(type);
        assertThat(TfType.fromJson(json).toJson()).isEqualTo(json);
    }

    @Test
    void everyPrimitiveRoundTripsThroughJson() {
        for (TfType t : List.of(TfType.STRING, TfType.NUMBER, TfType.BOOL, TfType.DYNAMIC)) {
            assertThat(TfType.fromJson(t.toJson())).isSameAs(t);
        }
    }

    @Test
    void fromJsonAcceptsAndIgnoresTheOptionalAttributesOfAnObjectTypeConstraint() {
        TfType type = TfType.fromJson("[\"object\",{\"a\":\"string\",\"b\":\"number\"},[\"b\"]]");
        assertThat(type).isEqualTo(TfType.object(Map.of("a", TfType.STRING, "b", TfType.NUMBER)));
    }

    @Test
    void fromJsonToleratesWhitespace() {
        assertThat(TfType.fromJson(" [ \"list\" , \"string\" ] ")).isEqualTo(TfType.list(TfType.STRING));
    }

    @Test
    void fromJsonRejectsUnknownNamesAndMalformedText() {
        assertThatThrownBy(() -> TfType.fromJson("\"strin\""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strin");
        assertThatThrownBy(() -> TfType.fromJson("[\"bag\",\"string\"]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bag");
        assertThatThrownBy(() -> TfType.fromJson("[\"list\"]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TfType.fromJson("[\"list\",\"string\",\"x\"]"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TfType.fromJson("[\"list\",")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TfType.fromJson("\"string\" \"number\"")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TfType.fromJson("42")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TfType.fromJson("[\"object\",{\"a\":\"string\",\"a\":\"bool\"}]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate");
    }

    @Test
    void typesCompareByStructure() {
        assertThat(TfType.list(TfType.object(Map.of("a", TfType.STRING))))
                .isEqualTo(TfType.list(TfType.object(Map.of("a", TfType.STRING))))
                .hasSameHashCodeAs(TfType.list(TfType.object(Map.of("a", TfType.STRING))));
        assertThat(TfType.list(TfType.STRING)).isNotEqualTo(TfType.set(TfType.STRING));
        assertThat(TfType.tuple(List.of(TfType.STRING))).isNotEqualTo(TfType.list(TfType.STRING));
    }

    @Test
    void objectTypeKeepsASortedUnmodifiableCopyOfItsAttributes() {
        Map<String, TfType> attributes = new LinkedHashMap<>();
        attributes.put("z", TfType.STRING);
        attributes.put("a", TfType.NUMBER);
        TfType.ObjectType type = TfType.object(attributes);
        attributes.put("later", TfType.BOOL);

        assertThat(type.attributeTypes().keySet()).containsExactly("a", "z");
        assertThat(type.attributeType("a")).isEqualTo(TfType.NUMBER);
        assertThatThrownBy(() -> type.attributeTypes().put("x", TfType.BOOL))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> type.attributeType("later"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("later");
    }

    @Test
    void accessorsExposeElementTypes() {
        assertThat(TfType.list(TfType.STRING).elementType()).isEqualTo(TfType.STRING);
        assertThat(TfType.set(TfType.BOOL).elementType()).isEqualTo(TfType.BOOL);
        assertThat(TfType.map(TfType.NUMBER).elementType()).isEqualTo(TfType.NUMBER);
        assertThat(TfType.tuple(List.of(TfType.STRING, TfType.NUMBER)).elementTypes())
                .containsExactly(TfType.STRING, TfType.NUMBER);
    }

    @Test
    void dynamicAcceptsAnyTypeAtItsPosition() {
        assertThat(TfType.DYNAMIC.accepts(TfType.list(TfType.STRING))).isTrue();
        assertThat(TfType.list(TfType.DYNAMIC).accepts(TfType.list(TfType.NUMBER)))
                .isTrue();
        assertThat(TfType.object(Map.of("a", TfType.DYNAMIC)).accepts(TfType.object(Map.of("a", TfType.BOOL))))
                .isTrue();
        assertThat(TfType.object(Map.of("a", TfType.DYNAMIC)).accepts(TfType.object(Map.of("b", TfType.BOOL))))
                .isFalse();
        assertThat(TfType.list(TfType.STRING).accepts(TfType.list(TfType.NUMBER)))
                .isFalse();
        assertThat(TfType.STRING.accepts(TfType.DYNAMIC)).isFalse();
    }

    @Test
    void containsDynamicLooksAtEveryDepth() {
        assertThat(TfType.map(TfType.tuple(List.of(TfType.STRING, TfType.DYNAMIC)))
                        .containsDynamic())
                .isTrue();
        assertThat(TfType.map(TfType.object(Map.of("a", TfType.STRING))).containsDynamic())
                .isFalse();
    }

    @Test
    void toStringIsReadable() {
        assertThat(TfType.map(TfType.object(Map.of("a", TfType.STRING, "b", TfType.list(TfType.NUMBER)))))
                .hasToString("map(object({a=string, b=list(number)}))");
    }
}
