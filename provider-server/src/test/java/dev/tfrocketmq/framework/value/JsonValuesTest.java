package dev.tfrocketmq.framework.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValuesTest {
    private static final TfType.ObjectType STATE = TfType.object(Map.of(
            "id", TfType.STRING,
            "count", TfType.NUMBER,
            "enabled", TfType.BOOL,
            "tags", TfType.map(TfType.STRING),
            "added_later", TfType.list(TfType.STRING)));

    @Test
    void missingAttributesBecomeNull() {
        Value v = JsonValues.decode("{\"id\":\"t1\",\"count\":3,\"enabled\":true,\"tags\":{}}", STATE);
        assertThat(v.attribute("added_later")).isEqualTo(Value.nullOf(TfType.list(TfType.STRING)));
        assertThat(v.attribute("id").asString()).isEqualTo("t1");
        assertThat(v.attribute("tags").entries()).isEmpty();
    }

    @Test
    void unknownExtraAttributesAreAnErrorNamingThem() {
        assertThatThrownBy(() -> JsonValues.decode("{\"id\":\"t1\",\"legacy_field\":1}", STATE))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("legacy_field");
    }

    @Test
    void extraAttributesDeepInsideCarryThePath() {
        TfType.ObjectType schema =
                TfType.object(Map.of("items", TfType.list(TfType.object(Map.of("a", TfType.STRING)))));
        assertThatThrownBy(() -> JsonValues.decode("{\"items\":[{\"a\":\"x\"},{\"b\":\"y\"}]}", schema))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("items[1]")
                .hasMessageContaining("\"b\"");
    }

    @Test
    void numbersAreReadExactly() {
        TfType schema = TfType.list(TfType.NUMBER);
        Value v = JsonValues.decode("[0.1, 12345678901234567890123.45, 1e400, -0.000001, 7]", schema);
        assertThat(v.elements())
                .extracting(Value::asNumber)
                .containsExactly(
                        new BigDecimal("0.1"),
                        new BigDecimal("12345678901234567890123.45"),
                        new BigDecimal("1e400"),
                        new BigDecimal("-0.000001"),
                        new BigDecimal("7"));
    }

    @Test
    void numbersMayArriveAsStrings() {
        assertThat(JsonValues.decode("\"0.1\"", TfType.NUMBER).asNumber()).isEqualTo(new BigDecimal("0.1"));
        assertThatThrownBy(() -> JsonValues.decode("\"many\"", TfType.NUMBER)).isInstanceOf(ValueCodecException.class);
    }

    @Test
    void numbersAreWrittenExactlyInPlainForm() {
        assertThat(JsonValues.encode(Value.number(new BigDecimal("0.1")), TfType.NUMBER))
                .isEqualTo("0.1");
        assertThat(JsonValues.encode(Value.number(new BigDecimal("1E+3")), TfType.NUMBER))
                .isEqualTo("1000");
        assertThat(JsonValues.encode(Value.number(new BigDecimal("-12345678901234567890.5")), TfType.NUMBER))
                .isEqualTo("-12345678901234567890.5");
    }

    @Test
    void stringsAndBoolsAcceptTheConversionsTerraformAccepts() {
        assertThat(JsonValues.decode("12", TfType.STRING)).isEqualTo(Value.string("12"));
        assertThat(JsonValues.decode("true", TfType.STRING)).isEqualTo(Value.string("true"));
        assertThat(JsonValues.decode("\"false\"", TfType.BOOL)).isEqualTo(Value.bool(false));
        assertThatThrownBy(() -> JsonValues.decode("\"yes\"", TfType.BOOL)).isInstanceOf(ValueCodecException.class);
        assertThatThrownBy(() -> JsonValues.decode("[]", TfType.STRING)).isInstanceOf(ValueCodecException.class);
    }

    @Test
    void dynamicValuesRoundTrip() {
        TfType.ObjectType schema = TfType.object(Map.of("v", TfType.DYNAMIC));
        Value v = Value.object(
                schema, Map.of("v", Value.map(TfType.NUMBER, Map.of("a", Value.number(new BigDecimal("0.1"))))));
        String json = JsonValues.encode(v, schema);
        assertThat(json).isEqualTo("{\"v\":{\"value\":{\"a\":0.1},\"type\":[\"map\",\"number\"]}}");
        assertThat(JsonValues.decode(json, schema)).isEqualTo(v);
    }

    @Test
    void dynamicValuesMayGiveTheTypeFirstOrLast() {
        Value expected = Value.list(TfType.NUMBER, List.of(Value.number(new BigDecimal("0.1"))));
        assertThat(JsonValues.decode("{\"type\":[\"list\",\"number\"],\"value\":[0.1]}", TfType.DYNAMIC))
                .isEqualTo(expected);
        Value late = JsonValues.decode("{\"value\":[0.1],\"type\":[\"list\",\"number\"]}", TfType.DYNAMIC);
        assertThat(late).isEqualTo(expected);
        assertThat(late.elements().get(0).asNumber()).isEqualTo(new BigDecimal("0.1"));
    }

    @Test
    void dynamicNullIsPlainJsonNull() {
        assertThat(JsonValues.decode("null", TfType.DYNAMIC)).isEqualTo(Value.nullOf(TfType.DYNAMIC));
        assertThat(JsonValues.encode(Value.nullOf(TfType.DYNAMIC), TfType.DYNAMIC))
                .isEqualTo("null");
        assertThat(JsonValues.encode(Value.nullOf(TfType.STRING), TfType.DYNAMIC))
                .isEqualTo("{\"value\":null,\"type\":\"string\"}");
    }

    @Test
    void malformedDynamicValuesAreRejected() {
        assertThatThrownBy(() -> JsonValues.decode("{\"value\":1}", TfType.DYNAMIC))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("type");
        assertThatThrownBy(() -> JsonValues.decode("{\"type\":\"number\"}", TfType.DYNAMIC))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("value");
        assertThatThrownBy(() -> JsonValues.decode("{\"type\":\"number\",\"value\":1,\"x\":2}", TfType.DYNAMIC))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("\"x\"");
        assertThatThrownBy(() -> JsonValues.decode("\"x\"", TfType.DYNAMIC)).isInstanceOf(ValueCodecException.class);
    }

    @Test
    void unknownsCannotBeEncoded() {
        TfType.ObjectType schema = TfType.object(Map.of("a", TfType.list(TfType.STRING)));
        Value v = Value.object(schema, Map.of("a", Value.list(TfType.STRING, List.of(Value.unknown(TfType.STRING)))));
        assertThatThrownBy(() -> JsonValues.encode(v, schema))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("a[0]")
                .hasMessageContaining("unknown");
    }

    @Test
    void wholeStateRoundTripsWithSortedKeys() {
        Value v = Value.object(
                STATE,
                Map.of(
                        "id", Value.string("t\"1"),
                        "count", Value.number(3),
                        "enabled", Value.bool(false),
                        "tags", Value.map(TfType.STRING, Map.of("b", Value.string("2"), "a", Value.string("1"))),
                        "added_later", Value.nullOf(TfType.list(TfType.STRING))));
        String json = JsonValues.encode(v, STATE);
        assertThat(json)
                .isEqualTo(
                        "{\"added_later\":null,\"count\":3,\"enabled\":false,\"id\":\"t\\\"1\",\"tags\":{\"a\":\"1\",\"b\":\"2\"}}");
        assertThat(JsonValues.decode(json, STATE)).isEqualTo(v);
    }

    @Test
    void setsAreDeduplicatedAndTuplesChecked() {
        assertThat(JsonValues.decode("[\"a\",\"b\",\"a\"]", TfType.set(TfType.STRING))
                        .elements())
                .hasSize(2);
        TfType.TupleType tuple = TfType.tuple(List.of(TfType.STRING, TfType.BOOL));
        assertThat(JsonValues.decode("[\"a\",true]", tuple))
                .isEqualTo(Value.tuple(tuple.elementTypes(), List.of(Value.string("a"), Value.bool(true))));
        assertThatThrownBy(() -> JsonValues.decode("[\"a\"]", tuple)).isInstanceOf(ValueCodecException.class);
        assertThatThrownBy(() -> JsonValues.decode("[\"a\",true,1]", tuple)).isInstanceOf(ValueCodecException.class);
    }

    @Test
    void malformedJsonIsRejected() {
        assertThatThrownBy(() -> JsonValues.decode("{\"id\":", STATE)).isInstanceOf(ValueCodecException.class);
        assertThatThrownBy(() -> JsonValues.decode("{\"id\":\"x\"} 1", STATE)).isInstanceOf(ValueCodecException.class);
        assertThatThrownBy(() -> JsonValues.decode("{'id':'x'}", STATE)).isInstanceOf(ValueCodecException.class);
        assertThatThrownBy(() -> JsonValues.decode("NaN", TfType.NUMBER)).isInstanceOf(ValueCodecException.class);
    }

    @Test
    void deeplyNestedDynamicValuesAreRejectedWithoutOverflowingTheStack() {
        String json = "{\"type\":\"dynamic\",\"value\":".repeat(100_000) + "null" + "}".repeat(100_000);
        assertThatThrownBy(() -> JsonValues.decode(json, TfType.DYNAMIC)).isInstanceOf(ValueCodecException.class);
    }

    @Test
    void emptyTextDecodesToNull() {
        assertThat(JsonValues.decode("", STATE)).isEqualTo(Value.nullOf(STATE));
    }
}
