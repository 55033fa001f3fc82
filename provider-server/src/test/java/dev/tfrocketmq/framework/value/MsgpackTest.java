package dev.tfrocketmq.framework.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MsgpackTest {

    private static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    private static String hexOf(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------ null and unknown

    @Test
    void unknownEncodesAsExactlyD40000() {
        assertThat(Msgpack.encode(Value.unknown(TfType.STRING), TfType.STRING)).containsExactly(0xd4, 0x00, 0x00);
    }

    @Test
    void refinedUnknownsStillEncodeAsThePlainUnknown() {
        assertThat(Msgpack.encode(Value.unknownNotNull(TfType.NUMBER), TfType.NUMBER))
                .containsExactly(0xd4, 0x00, 0x00);
    }

    @Test
    void nullEncodesAsNilAndNilDecodesToNull() {
        assertThat(Msgpack.encode(Value.nullOf(TfType.STRING), TfType.STRING)).containsExactly(0xc0);
        TfType obj = TfType.object(Map.of("a", TfType.STRING));
        assertThat(Msgpack.decode(hex("c0"), obj)).isEqualTo(Value.nullOf(obj));
    }

    @Test
    void emptyBytesDecodeToNullOfTheSchemaType() {
        TfType obj = TfType.object(Map.of("a", TfType.STRING));
        assertThat(Msgpack.decode(new byte[0], obj)).isEqualTo(Value.nullOf(obj));
        assertThat(Msgpack.decode(null, TfType.STRING)).isEqualTo(Value.nullOf(TfType.STRING));
    }

    @ParameterizedTest
    @CsvSource({
        "d4 00 00",
        "d5 00 00 00",
        "d6 05 01 02 03 04",
        "d7 7f 01 02 03 04 05 06 07 08",
        "d8 01 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f",
        "c7 00 03",
        "c7 03 07 aa bb cc",
        "c8 00 02 09 aa bb",
        "c9 00 00 00 01 fe aa",
        "d4 0c 00",
    })
    void anyExtensionTypeDecodesToUnknown(String bytes) {
        assertThat(Msgpack.decode(hex(bytes), TfType.STRING)).isEqualTo(Value.unknown(TfType.STRING));
    }

    @Test
    void refinedUnknownWithNotNullAndPrefixDecodesToUnknown() {
        // ext 12 payload {1: false, 2: "abc"}
        byte[] payload = hex("82 01 c2 02 a3 61 62 63");
        byte[] wire = concat(hex("d7 0c"), payload);
        Value v = Msgpack.decode(wire, TfType.STRING);
        assertThat(v.isUnknown()).isTrue();
        assertThat(v.isDefinitelyNotNull()).isTrue();
        assertThat(v).isEqualTo(Value.unknown(TfType.STRING));
        assertThat(Msgpack.encode(v, TfType.STRING)).containsExactly(0xd4, 0x00, 0x00);
    }

    @Test
    void refinedUnknownInExt8FormWithBoundsAndFutureKeysDecodesToUnknown() {
        // {3: [1, true], 4: ["1e400", false], 99: [nil, {}], 1: false}
        byte[] payload = concat(
                hex("84"),
                hex("03 92 01 c3"),
                hex("04 92 a5"),
                utf8("1e400"),
                hex("c2"),
                hex("63 92 c0 80"),
                hex("01 c2"));
        byte[] wire = concat(hex("c7"), new byte[] {(byte) payload.length}, hex("0c"), payload);
        Value v = Msgpack.decode(wire, TfType.NUMBER);
        assertThat(v.isUnknown()).isTrue();
        assertThat(v.isDefinitelyNotNull()).isTrue();
    }

    @Test
    void refinedUnknownWithLengthBoundsDecodesToUnknownCollection() {
        byte[] payload = hex("82 05 01 06 0a");
        byte[] wire = concat(hex("c7 05 0c"), payload);
        TfType type = TfType.list(TfType.STRING);
        assertThat(Msgpack.decode(wire, type)).isEqualTo(Value.unknown(type));
    }

    @Test
    void refinedUnknownThatIsDefinitelyNullDecodesToNull() {
        byte[] wire = hex("c7 03 0c 81 01 c3");
        assertThat(Msgpack.decode(wire, TfType.STRING)).isEqualTo(Value.nullOf(TfType.STRING));
    }

    @Test
    void malformedRefinementPayloadIsRejected() {
        assertThatThrownBy(() -> Msgpack.decode(hex("c7 02 0c 91 01"), TfType.STRING))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("refinements");
        assertThatThrownBy(() -> Msgpack.decode(hex("c7 03 0c 81 a1 61"), TfType.STRING))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("refinements");
    }

    @Test
    void unknownInsideAListInsideAnObjectInsideAMapRoundTrips() {
        TfType.ObjectType inner = TfType.object(Map.of("items", TfType.list(TfType.STRING), "name", TfType.STRING));
        TfType schema = TfType.map(inner);
        Value value = Value.map(
                inner,
                Map.of(
                        "k",
                        Value.object(
                                inner,
                                Map.of(
                                        "items",
                                        Value.list(
                                                TfType.STRING,
                                                List.of(Value.string("a"), Value.unknown(TfType.STRING))),
                                        "name",
                                        Value.string("n")))));

        byte[] wire = Msgpack.encode(value, schema);

        assertThat(hexOf(wire))
                .isEqualTo(hexOf(concat(
                        hex("81 a1 6b 82 a5"),
                        utf8("items"),
                        hex("92 a1 61 d4 00 00"),
                        hex("a4"),
                        utf8("name"),
                        hex("a1 6e"))));
        Value decoded = Msgpack.decode(wire, schema);
        assertThat(decoded).isEqualTo(value);
        assertThat(decoded.entries()
                        .get("k")
                        .attribute("items")
                        .elements()
                        .get(1)
                        .isUnknown())
                .isTrue();
        assertThat(decoded.isWhollyKnown()).isFalse();
    }

    // ------------------------------------------------------------ numbers

    @ParameterizedTest
    @CsvSource({
        "0, 00",
        "1, 01",
        "127, 7f",
        "128, cc 80",
        "255, cc ff",
        "256, cd 01 00",
        "65535, cd ff ff",
        "65536, ce 00 01 00 00",
        "2147483647, ce 7f ff ff ff",
        "4294967295, ce ff ff ff ff",
        "4294967296, cf 00 00 00 01 00 00 00 00",
        "9223372036854775807, cf 7f ff ff ff ff ff ff ff",
        "-1, ff",
        "-32, e0",
        "-33, d0 df",
        "-128, d0 80",
        "-129, d1 ff 7f",
        "-32768, d1 80 00",
        "-32769, d2 ff ff 7f ff",
        "-2147483648, d2 80 00 00 00",
        "-2147483649, d3 ff ff ff ff 7f ff ff ff",
        "-9223372036854775808, d3 80 00 00 00 00 00 00 00",
    })
    void integersUseTheSmallestFormAndRoundTrip(long n, String golden) {
        byte[] wire = Msgpack.encode(Value.number(n), TfType.NUMBER);
        assertThat(hexOf(wire)).isEqualTo(golden);
        assertThat(Msgpack.decode(wire, TfType.NUMBER).asLong()).isEqualTo(n);
    }

    @Test
    void integersOfEveryWidthDecode() {
        assertThat(Msgpack.decode(hex("cc 05"), TfType.NUMBER).asLong()).isEqualTo(5);
        assertThat(Msgpack.decode(hex("cd 00 05"), TfType.NUMBER).asLong()).isEqualTo(5);
        assertThat(Msgpack.decode(hex("ce 00 00 00 05"), TfType.NUMBER).asLong())
                .isEqualTo(5);
        assertThat(Msgpack.decode(hex("cf 00 00 00 00 00 00 00 05"), TfType.NUMBER)
                        .asLong())
                .isEqualTo(5);
        assertThat(Msgpack.decode(hex("d0 fb"), TfType.NUMBER).asLong()).isEqualTo(-5);
        assertThat(Msgpack.decode(hex("d1 ff fb"), TfType.NUMBER).asLong()).isEqualTo(-5);
        assertThat(Msgpack.decode(hex("d2 ff ff ff fb"), TfType.NUMBER).asLong())
                .isEqualTo(-5);
        assertThat(Msgpack.decode(hex("d3 ff ff ff ff ff ff ff fb"), TfType.NUMBER)
                        .asLong())
                .isEqualTo(-5);
        assertThat(Msgpack.decode(hex("d0 05"), TfType.NUMBER).asLong()).isEqualTo(5);
    }

    @Test
    void uint64AboveLongMaxDecodesExactly() {
        Value v = Msgpack.decode(hex("cf ff ff ff ff ff ff ff ff"), TfType.NUMBER);
        assertThat(v.asNumber()).isEqualByComparingTo(new BigDecimal("18446744073709551615"));
        assertThatThrownBy(v::asLong).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void twoToThe64MinusOneIsEncodedAsADecimalString() {
        BigDecimal n = new BigDecimal(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
        byte[] wire = Msgpack.encode(Value.number(n), TfType.NUMBER);
        assertThat(wire).isEqualTo(concat(hex("b4"), utf8("18446744073709551615")));
        assertThat(Msgpack.decode(wire, TfType.NUMBER).asNumber()).isEqualByComparingTo(n);
    }

    @Test
    void largeIntegersThatAreExactDoublesUseFloat64() {
        BigDecimal twoTo64 = new BigDecimal(BigInteger.ONE.shiftLeft(64));
        assertThat(hexOf(Msgpack.encode(Value.number(twoTo64), TfType.NUMBER))).isEqualTo("cb 43 f0 00 00 00 00 00 00");
    }

    @Test
    void float64HalfRoundTrips() {
        byte[] wire = Msgpack.encode(Value.number(new BigDecimal("0.5")), TfType.NUMBER);
        assertThat(hexOf(wire)).isEqualTo("cb 3f e0 00 00 00 00 00 00");
        assertThat(Msgpack.decode(wire, TfType.NUMBER).asNumber()).isEqualByComparingTo("0.5");
    }

    @Test
    void floatsDecodeExactlyWithoutDecimalRounding() {
        assertThat(Msgpack.decode(hex("ca 3e 80 00 00"), TfType.NUMBER).asNumber())
                .isEqualByComparingTo("0.25");
        // the binary double nearest to 0.1
        assertThat(Msgpack.decode(hex("cb 3f b9 99 99 99 99 99 9a"), TfType.NUMBER)
                        .asNumber())
                .isEqualTo(new BigDecimal(0.1d));
    }

    @Test
    void decimalStringPointOneDecodesExactlyAndReEncodesAsTheSameString() {
        byte[] wire = concat(hex("a3"), utf8("0.1"));
        Value v = Msgpack.decode(wire, TfType.NUMBER);
        assertThat(v.asNumber()).isEqualTo(new BigDecimal("0.1"));
        assertThat(Msgpack.encode(v, TfType.NUMBER)).isEqualTo(wire);
    }

    @Test
    void hugeExponentNumberRoundTrips() {
        Value v = Msgpack.decode(concat(hex("a5"), utf8("1e400")), TfType.NUMBER);
        assertThat(v.asNumber()).isEqualTo(new BigDecimal("1e400"));
        byte[] wire = Msgpack.encode(v, TfType.NUMBER);
        assertThat(hexOf(wire)).startsWith("da 01 91 31 30 30");
        assertThat(Msgpack.decode(wire, TfType.NUMBER)).isEqualTo(v);
    }

    @Test
    void extremeExponentsAreWrittenInScientificNotation() {
        Value v = Value.number(new BigDecimal("1e100000"));
        byte[] wire = Msgpack.encode(v, TfType.NUMBER);
        assertThat(wire).isEqualTo(concat(hex("a9"), utf8("1E+100000")));
        assertThat(Msgpack.decode(wire, TfType.NUMBER)).isEqualTo(v);
    }

    @Test
    void negativeDecimalWithManyDigitsRoundTrips() {
        String text = "-12345678901234567890.5";
        byte[] wire = Msgpack.encode(Value.number(new BigDecimal(text)), TfType.NUMBER);
        assertThat(wire).isEqualTo(concat(hex("b7"), utf8(text)));
        assertThat(Msgpack.decode(wire, TfType.NUMBER).asNumber()).isEqualTo(new BigDecimal(text));
    }

    @Test
    void nanAndInfinityAreRejectedWithAClearMessage() {
        assertThatThrownBy(() -> Msgpack.decode(hex("cb 7f f8 00 00 00 00 00 00"), TfType.NUMBER))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("not finite");
        assertThatThrownBy(() -> Msgpack.decode(hex("cb 7f f0 00 00 00 00 00 00"), TfType.NUMBER))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("not finite");
        assertThatThrownBy(() -> Msgpack.decode(hex("ca ff 80 00 00"), TfType.NUMBER))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("not finite");
        assertThatThrownBy(() -> Msgpack.decode(concat(hex("a4"), utf8("+Inf")), TfType.NUMBER))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("not finite");
        assertThatThrownBy(() -> Msgpack.decode(concat(hex("a3"), utf8("NaN")), TfType.NUMBER))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("not finite");
    }

    @Test
    void nonNumericStringsAreRejectedForNumbers() {
        assertThatThrownBy(() -> Msgpack.decode(concat(hex("a3"), utf8("abc")), TfType.NUMBER))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("abc");
        assertThatThrownBy(() -> Msgpack.decode(hex("c3"), TfType.NUMBER))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("number");
    }

    // ------------------------------------------------------------ strings and bools

    @Test
    void stringsOfEveryWidthRoundTrip() {
        for (int len : new int[] {0, 31, 32, 255, 256, 65535, 65536}) {
            String s = "x".repeat(len);
            byte[] wire = Msgpack.encode(Value.string(s), TfType.STRING);
            int header = len <= 31 ? 1 : len <= 255 ? 2 : len <= 65535 ? 3 : 5;
            assertThat(wire).hasSize(header + len);
            assertThat(Msgpack.decode(wire, TfType.STRING).asString()).isEqualTo(s);
        }
        assertThat(hexOf(Msgpack.encode(Value.string("x".repeat(32)), TfType.STRING)))
                .startsWith("d9 20");
        assertThat(hexOf(Msgpack.encode(Value.string("x".repeat(256)), TfType.STRING)))
                .startsWith("da 01 00");
        assertThat(hexOf(Msgpack.encode(Value.string("x".repeat(65536)), TfType.STRING)))
                .startsWith("db 00 01 00 00");
    }

    @Test
    void nonMinimalStringHeadersAreAccepted() {
        assertThat(Msgpack.decode(concat(hex("d9 02"), utf8("hi")), TfType.STRING)
                        .asString())
                .isEqualTo("hi");
        assertThat(Msgpack.decode(concat(hex("da 00 02"), utf8("hi")), TfType.STRING)
                        .asString())
                .isEqualTo("hi");
        assertThat(Msgpack.decode(concat(hex("db 00 00 00 02"), utf8("hi")), TfType.STRING)
                        .asString())
                .isEqualTo("hi");
    }

    @Test
    void multiByteUtf8RoundTrips() {
        Value v = Value.string("h\u00e9llo \u4e16\u754c \ud83d\ude00");
        assertThat(Msgpack.decode(Msgpack.encode(v, TfType.STRING), TfType.STRING))
                .isEqualTo(v);
    }

    @Test
    void binaryIsRejectedWhereAStringIsRequired() {
        assertThatThrownBy(() -> Msgpack.decode(hex("c4 02 68 69"), TfType.STRING))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("binary");
    }

    @Test
    void invalidUtf8IsRejected() {
        assertThatThrownBy(() -> Msgpack.decode(hex("a2 c3 28"), TfType.STRING))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void boolsRoundTrip() {
        assertThat(Msgpack.encode(Value.bool(true), TfType.BOOL)).containsExactly(0xc3);
        assertThat(Msgpack.encode(Value.bool(false), TfType.BOOL)).containsExactly(0xc2);
        assertThat(Msgpack.decode(hex("c3"), TfType.BOOL).asBool()).isTrue();
        assertThat(Msgpack.decode(hex("c2"), TfType.BOOL).asBool()).isFalse();
        assertThatThrownBy(() -> Msgpack.decode(hex("01"), TfType.BOOL)).isInstanceOf(ValueCodecException.class);
    }

    // ------------------------------------------------------------ objects

    @Test
    void objectsAreWrittenWithEveryAttributeSortedByName() {
        TfType.ObjectType type = TfType.object(Map.of("b", TfType.STRING, "a", TfType.NUMBER));
        Value v = Value.object(type, Map.of("b", Value.nullOf(TfType.STRING), "a", Value.number(1)));
        assertThat(hexOf(Msgpack.encode(v, type))).isEqualTo("82 a1 61 01 a1 62 c0");
    }

    @Test
    void objectsAreReadWithAttributesInAnyOrder() {
        TfType.ObjectType type = TfType.object(Map.of("b", TfType.STRING, "a", TfType.NUMBER));
        Value v = Msgpack.decode(hex("82 a1 62 a1 78 a1 61 01"), type);
        assertThat(v.attribute("a").asLong()).isEqualTo(1);
        assertThat(v.attribute("b").asString()).isEqualTo("x");
    }

    @Test
    void anObjectWithAMissingKeyIsRejectedWithThePath() {
        TfType.ObjectType inner = TfType.object(Map.of("a", TfType.STRING, "b", TfType.STRING));
        TfType schema = TfType.map(inner);
        assertThatThrownBy(() -> Msgpack.decode(hex("81 a1 6b 81 a1 61 a1 78"), schema))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("[\"k\"]")
                .hasMessageContaining("missing attribute \"b\"")
                .satisfies(e -> assertThat(((ValueCodecException) e).path())
                        .isEqualTo(ValuePath.root().key("k")));
    }

    @Test
    void anObjectWithAnExtraKeyIsRejectedWithThePath() {
        TfType.ObjectType block = TfType.object(Map.of("a", TfType.STRING));
        TfType.ObjectType schema = TfType.object(Map.of("blocks", TfType.list(block)));
        byte[] wire = concat(hex("81 a6"), utf8("blocks"), hex("91 82 a1 61 a1 78 a3"), utf8("zzz"), hex("c0"));
        assertThatThrownBy(() -> Msgpack.decode(wire, schema))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("blocks[0]")
                .hasMessageContaining("unexpected attribute \"zzz\"")
                .satisfies(e -> assertThat(((ValueCodecException) e).path())
                        .isEqualTo(ValuePath.root().attribute("blocks").index(0)));
    }

    @Test
    void anObjectWithADuplicateKeyIsRejected() {
        TfType.ObjectType type = TfType.object(Map.of("a", TfType.STRING, "b", TfType.STRING));
        assertThatThrownBy(() -> Msgpack.decode(hex("82 a1 61 a1 78 a1 61 a1 79"), type))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("duplicate");
    }

    @Test
    void emptyObjectTypeRoundTrips() {
        TfType.ObjectType type = TfType.object(Map.of());
        Value v = Value.object(type, Map.of());
        assertThat(Msgpack.encode(v, type)).containsExactly(0x80);
        assertThat(Msgpack.decode(hex("80"), type)).isEqualTo(v);
    }

    @Test
    void encodingAValueOfTheWrongTypeIsRejectedWithThePath() {
        TfType.ObjectType schema = TfType.object(Map.of("name", TfType.STRING));
        TfType.ObjectType other = TfType.object(Map.of("name", TfType.NUMBER));
        Value v = Value.object(other, Map.of("name", Value.number(1)));
        assertThatThrownBy(() -> Msgpack.encode(v, schema))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("at name:");
        assertThatThrownBy(() -> Msgpack.encode(Value.string("x"), TfType.list(TfType.STRING)))
                .isInstanceOf(ValueCodecException.class);
    }

    @Test
    void encodingAnObjectWithDifferentAttributesNamesThem() {
        TfType.ObjectType schema = TfType.object(Map.of("a", TfType.STRING, "b", TfType.STRING));
        TfType.ObjectType other = TfType.object(Map.of("a", TfType.STRING, "c", TfType.STRING));
        Value v = Value.object(other, Map.of("a", Value.string("x"), "c", Value.string("y")));
        assertThatThrownBy(() -> Msgpack.encode(v, schema))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("missing \"b\"")
                .hasMessageContaining("unexpected \"c\"");
    }

    // ------------------------------------------------------------ collections

    @Test
    void setsAreDeduplicatedOnDecode() {
        TfType schema = TfType.set(TfType.STRING);
        Value v = Msgpack.decode(hex("93 a1 61 a1 62 a1 61"), schema);
        assertThat(v.elements()).containsExactly(Value.string("a"), Value.string("b"));
    }

    @Test
    void listsSetsAndMapsRoundTrip() {
        TfType schema = TfType.object(Map.of(
                "l", TfType.list(TfType.NUMBER),
                "s", TfType.set(TfType.BOOL),
                "m", TfType.map(TfType.STRING),
                "e", TfType.list(TfType.STRING)));
        Value v = Value.object(
                (TfType.ObjectType) schema,
                Map.of(
                        "l", Value.list(TfType.NUMBER, List.of(Value.number(1), Value.number(new BigDecimal("2.5")))),
                        "s", Value.set(TfType.BOOL, List.of(Value.bool(true), Value.bool(false))),
                        "m",
                                Value.map(
                                        TfType.STRING,
                                        Map.of("z", Value.string("1"), "a", Value.unknown(TfType.STRING))),
                        "e", Value.list(TfType.STRING, List.of())));
        assertThat(Msgpack.decode(Msgpack.encode(v, schema), schema)).isEqualTo(v);
    }

    @Test
    void largeArraysUseWiderHeaders() {
        List<Value> many = Collections.nCopies(16, Value.bool(true));
        byte[] wire = Msgpack.encode(Value.list(TfType.BOOL, many), TfType.list(TfType.BOOL));
        assertThat(hexOf(wire)).startsWith("dc 00 10 c3");
        assertThat(Msgpack.decode(wire, TfType.list(TfType.BOOL)).elements()).hasSize(16);
        assertThat(Msgpack.decode(hex("dd 00 00 00 01 c3"), TfType.list(TfType.BOOL))
                        .elements())
                .hasSize(1);
    }

    @Test
    void mapKeysMustBeStrings() {
        assertThatThrownBy(() -> Msgpack.decode(hex("81 01 a1 61"), TfType.map(TfType.STRING)))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("map key");
    }

    @Test
    void tuplesRoundTripAndMustHaveTheRightLength() {
        TfType.TupleType schema = TfType.tuple(List.of(TfType.STRING, TfType.NUMBER));
        Value v = Value.tuple(schema.elementTypes(), List.of(Value.string("a"), Value.number(2)));
        byte[] wire = Msgpack.encode(v, schema);
        assertThat(hexOf(wire)).isEqualTo("92 a1 61 02");
        assertThat(Msgpack.decode(wire, schema)).isEqualTo(v);
        assertThatThrownBy(() -> Msgpack.decode(hex("91 a1 61"), schema))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("tuple");
    }

    // ------------------------------------------------------------ dynamic

    @Test
    void dynamicAttributeRoundTripsWithBinaryTypeJson() {
        TfType.ObjectType schema = TfType.object(Map.of("v", TfType.DYNAMIC));
        Value v = Value.object(schema, Map.of("v", Value.string("x")));
        byte[] wire = Msgpack.encode(v, schema);
        assertThat(wire).isEqualTo(concat(hex("81 a1 76 92 c4 08"), utf8("\"string\""), hex("a1 78")));
        Value decoded = Msgpack.decode(wire, schema);
        assertThat(decoded).isEqualTo(v);
        assertThat(decoded.attribute("v").type()).isEqualTo(TfType.STRING);
    }

    @Test
    void dynamicAttributeAcceptsTheTypeJsonAsAString() {
        TfType.ObjectType schema = TfType.object(Map.of("v", TfType.DYNAMIC));
        byte[] wire = concat(hex("81 a1 76 92 a8"), utf8("\"string\""), hex("a1 78"));
        assertThat(Msgpack.decode(wire, schema).attribute("v")).isEqualTo(Value.string("x"));
    }

    @Test
    void dynamicValuesOfComplexTypesRoundTrip() {
        TfType concrete = TfType.map(TfType.list(TfType.NUMBER));
        Value v =
                Value.map(TfType.list(TfType.NUMBER), Map.of("a", Value.list(TfType.NUMBER, List.of(Value.number(1)))));
        byte[] wire = Msgpack.encode(v, TfType.DYNAMIC);
        byte[] typeJson = utf8(concrete.toJson());
        assertThat(wire)
                .isEqualTo(concat(hex("92 c4"), new byte[] {(byte) typeJson.length}, typeJson, hex("81 a1 61 91 01")));
        Value decoded = Msgpack.decode(wire, TfType.DYNAMIC);
        assertThat(decoded).isEqualTo(v);
        assertThat(decoded.type()).isEqualTo(concrete);
    }

    @Test
    void dynamicNullAndUnknownAppearDirectly() {
        assertThat(Msgpack.encode(Value.nullOf(TfType.DYNAMIC), TfType.DYNAMIC)).containsExactly(0xc0);
        assertThat(Msgpack.encode(Value.unknown(TfType.DYNAMIC), TfType.DYNAMIC))
                .containsExactly(0xd4, 0x00, 0x00);
        assertThat(Msgpack.decode(hex("c0"), TfType.DYNAMIC)).isEqualTo(Value.nullOf(TfType.DYNAMIC));
        assertThat(Msgpack.decode(hex("d4 00 00"), TfType.DYNAMIC)).isEqualTo(Value.unknown(TfType.DYNAMIC));
    }

    @Test
    void typedNullAndUnknownInADynamicPlaceKeepTheirType() {
        Value typedNull = Value.nullOf(TfType.STRING);
        byte[] wire = Msgpack.encode(typedNull, TfType.DYNAMIC);
        assertThat(wire).isEqualTo(concat(hex("92 c4 08"), utf8("\"string\""), hex("c0")));
        assertThat(Msgpack.decode(wire, TfType.DYNAMIC)).isEqualTo(typedNull);

        Value typedUnknown = Value.unknown(TfType.NUMBER);
        byte[] unknownWire = Msgpack.encode(typedUnknown, TfType.DYNAMIC);
        assertThat(unknownWire).isEqualTo(concat(hex("92 c4 08"), utf8("\"number\""), hex("d4 00 00")));
        assertThat(Msgpack.decode(unknownWire, TfType.DYNAMIC)).isEqualTo(typedUnknown);
    }

    @Test
    void dynamicElementsOfAListCarryTheirOwnTypes() {
        TfType schema = TfType.list(TfType.DYNAMIC);
        Value v = Value.list(TfType.DYNAMIC, List.of(Value.string("a"), Value.number(1)));
        Value decoded = Msgpack.decode(Msgpack.encode(v, schema), schema);
        assertThat(decoded).isEqualTo(v);
        assertThat(decoded.elements().get(1).type()).isEqualTo(TfType.NUMBER);
    }

    @Test
    void malformedDynamicValuesAreRejected() {
        assertThatThrownBy(() -> Msgpack.decode(hex("91 a1 61"), TfType.DYNAMIC))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("2 elements");
        assertThatThrownBy(() -> Msgpack.decode(concat(hex("92 a5"), utf8("\"foo\""), hex("c0")), TfType.DYNAMIC))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("invalid type");
        assertThatThrownBy(() -> Msgpack.decode(hex("a1 61"), TfType.DYNAMIC)).isInstanceOf(ValueCodecException.class);
    }

    // ------------------------------------------------------------ robustness

    @Test
    void everyTruncationOfAValidEncodingIsRejected() {
        TfType.ObjectType schema = TfType.object(Map.of(
                "name", TfType.STRING,
                "n", TfType.NUMBER,
                "f", TfType.NUMBER,
                "d", TfType.NUMBER,
                "tags", TfType.map(TfType.STRING),
                "any", TfType.DYNAMIC,
                "u", TfType.list(TfType.STRING)));
        Value v = Value.object(
                schema,
                Map.of(
                        "name", Value.string("x".repeat(40)),
                        "n", Value.number(Long.MIN_VALUE),
                        "f", Value.number(new BigDecimal("0.5")),
                        "d", Value.number(new BigDecimal("0.1")),
                        "tags", Value.map(TfType.STRING, Map.of("k", Value.string("v"))),
                        "any", Value.list(TfType.BOOL, List.of(Value.bool(true))),
                        "u", Value.list(TfType.STRING, List.of(Value.unknown(TfType.STRING)))));
        byte[] wire = Msgpack.encode(v, schema);
        assertThat(Msgpack.decode(wire, schema)).isEqualTo(v);
        for (int len = 1; len < wire.length; len++) {
            byte[] prefix = Arrays.copyOf(wire, len);
            assertThatThrownBy(() -> Msgpack.decode(prefix, schema))
                    .as("prefix of %d bytes", len)
                    .isInstanceOf(ValueCodecException.class);
        }
    }

    @Test
    void truncatedInputNamesTheProblem() {
        assertThatThrownBy(() -> Msgpack.decode(hex("cd 01"), TfType.NUMBER))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> Msgpack.decode(hex("a5 61 62"), TfType.STRING))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> Msgpack.decode(hex("d7 00 01"), TfType.STRING))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void hugeDeclaredLengthsFailFastWithoutAllocating() {
        assertThatThrownBy(() -> Msgpack.decode(hex("dd ff ff ff ff c3"), TfType.list(TfType.BOOL)))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> Msgpack.decode(hex("df ff ff ff ff a1 61"), TfType.map(TfType.BOOL)))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> Msgpack.decode(hex("db ff ff ff ff 61"), TfType.STRING))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> Msgpack.decode(hex("c9 ff ff ff ff 00"), TfType.STRING))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void deeplyNestedDynamicWrappersAreRejectedWithoutOverflowingTheStack() {
        byte[] level = concat(hex("92 c4 09"), utf8("\"dynamic\""));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 100_000; i++) {
            out.writeBytes(level);
        }
        out.write(0xc0);
        byte[] wire = out.toByteArray();
        assertThatThrownBy(() -> Msgpack.decode(wire, TfType.DYNAMIC))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("nested");
    }

    @Test
    void trailingBytesAreRejected() {
        assertThatThrownBy(() -> Msgpack.decode(hex("c3 c3"), TfType.BOOL))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("unexpected bytes");
    }

    @Test
    void theNeverUsedFormatByteIsRejected() {
        assertThatThrownBy(() -> Msgpack.decode(hex("c1"), TfType.STRING))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("0xc1");
    }

    @Test
    void wrongKindsAreRejectedWithWhatWasExpected() {
        assertThatThrownBy(() -> Msgpack.decode(hex("a1 61"), TfType.list(TfType.STRING)))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("array");
        assertThatThrownBy(() -> Msgpack.decode(hex("90"), TfType.object(Map.of("a", TfType.STRING))))
                .isInstanceOf(ValueCodecException.class)
                .hasMessageContaining("object");
    }
}
