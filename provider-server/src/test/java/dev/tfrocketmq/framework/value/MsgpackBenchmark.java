package dev.tfrocketmq.framework.value;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times {@link Msgpack#encode} and {@link Msgpack#decode}: first the first call in a fresh JVM (a small object, as in
 * the first request of every provider process), then a large plan value (20,000 objects of strings, integers,
 * decimals, bools, maps, lists and unknowns, about 3 MB on the wire), and prints the numbers. Not a test: run it with
 * {@code java -cp <test classpath> dev.tfrocketmq.framework.value.MsgpackBenchmark [items] [rounds]}.
 */
public final class MsgpackBenchmark {
    private static final TfType.ObjectType ITEM = TfType.object(Map.of(
            "name", TfType.STRING,
            "size", TfType.NUMBER,
            "ratio", TfType.NUMBER,
            "enabled", TfType.BOOL,
            "tags", TfType.map(TfType.STRING),
            "hosts", TfType.list(TfType.STRING),
            "pid", TfType.NUMBER));
    private static final TfType.ObjectType PLAN = TfType.object(Map.of("items", TfType.list(ITEM)));

    private MsgpackBenchmark() {}

    public static void main(String[] args) {
        firstCall();
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Value plan = plan(items);
        byte[] wire = Msgpack.encode(plan, PLAN);
        if (!Msgpack.decode(wire, PLAN).equals(plan)) {
            throw new AssertionError("the value does not round-trip");
        }
        long sink = 0;
        for (int i = 0; i < rounds; i++) { // warm-up
            sink += Msgpack.encode(plan, PLAN).length;
            sink += Msgpack.decode(wire, PLAN).attributes().size();
        }
        long encode = 0;
        long decode = 0;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            sink += Msgpack.encode(plan, PLAN).length;
            long t1 = System.nanoTime();
            sink += Msgpack.decode(wire, PLAN).attributes().size();
            long t2 = System.nanoTime();
            encode += t1 - t0;
            decode += t2 - t1;
        }
        double mb = wire.length / 1e6;
        double encodeMs = encode / 1e6 / rounds;
        double decodeMs = decode / 1e6 / rounds;
        System.out.printf(
                Locale.ROOT,
                "msgpack plan value: %d items, %.2f MB; encode %.2f ms (%.0f MB/s), decode %.2f ms (%.0f MB/s),"
                        + " mean of %d rounds after %d warm-up rounds [%d]%n",
                items,
                mb,
                encodeMs,
                mb / (encodeMs / 1000),
                decodeMs,
                mb / (decodeMs / 1000),
                rounds,
                rounds,
                sink % 10);
    }

    /** The first encode and decode in this JVM: what a freshly started provider pays on its first request. */
    private static void firstCall() {
        TfType.ObjectType type = TfType.object(Map.of("name", TfType.STRING, "port", TfType.NUMBER));
        Value value = Value.object(type, Map.of("name", Value.string("ns"), "port", Value.number(9876)));
        long t0 = System.nanoTime();
        Value back = Msgpack.decode(Msgpack.encode(value, type), type);
        long t1 = System.nanoTime();
        if (!back.equals(value)) {
            throw new AssertionError("the value does not round-trip");
        }
        System.out.printf(Locale.ROOT, "msgpack first call in this JVM: encode+decode %.2f ms%n", (t1 - t0) / 1e6);
    }

    private static Value plan(int items) {
        List<Value> list = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            Map<String, Value> tags = new LinkedHashMap<>();
            tags.put("team", Value.string("messaging-" + (i % 7)));
            tags.put("zone", Value.string("zone-" + (i % 3) + "-\u00e9t\u00e9"));
            Map<String, Value> attrs = new LinkedHashMap<>();
            attrs.put("name", Value.string("broker-" + i + "-with-a-longer-name-than-thirty-one-bytes"));
            attrs.put("size", Value.number(i * 1_000L));
            attrs.put("ratio", Value.number(new BigDecimal(i).divide(BigDecimal.valueOf(8))));
            attrs.put("enabled", Value.bool(i % 2 == 0));
            attrs.put("tags", Value.map(TfType.STRING, tags));
            attrs.put(
                    "hosts",
                    Value.list(TfType.STRING, List.of(Value.string("10.0.0." + (i % 250)), Value.string("h" + i))));
            attrs.put("pid", i % 5 == 0 ? Value.unknown(TfType.NUMBER) : Value.number(i));
            list.add(Value.object(ITEM, attrs));
        }
        return Value.object(PLAN, Map.of("items", Value.list(ITEM, list)));
    }
}
