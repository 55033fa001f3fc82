package dev.tfrocketmq.framework.resource;

import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.NestedBlock;
import dev.tfrocketmq.framework.schema.NestingMode;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.schema.Validators;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A resource with one attribute of every planning kind, whose behaviour each test sets through hooks. By default
 * create fills {@code id} and {@code pid}, update gives a new {@code pid}, read keeps the state and delete succeeds.
 */
public class FakeResource implements Resource {
    public static final String TYPE_NAME = "rocketmq_fake";

    public static final Block TAG_BLOCK =
            Block.of("a tag", Attribute.string("key").required().build());

    public static final Block BLOCK = Block.of(
                    "a fake object",
                    Attribute.string("name")
                            .required()
                            .requiresReplace()
                            .validate(Validators.matches(
                                    "[A-Za-z0-9._:@%+=,/-]+", "a token without spaces or shell characters"))
                            .build(),
                    Attribute.number("size").defaultValue(Value.number(8)).build(),
                    Attribute.string("note").optional().build(),
                    Attribute.string("id").computed().useStateForUnknown().build(),
                    Attribute.number("pid").computed().build())
            .withBlocks(NestedBlock.of("tag", NestingMode.LIST, TAG_BLOCK));

    public static final Schema SCHEMA = Schema.of(BLOCK);

    public static final TfType.ObjectType TYPE = BLOCK.type();

    public BiConsumer<Requests.Plan, PlanResponse> onPlan = (request, response) -> {};
    public BiConsumer<Requests.Create, StateResponse> onCreate = (request, response) -> {
        response.setAttribute("id", Value.string("i-1"));
        response.setAttribute("pid", Value.number(42));
    };
    public BiConsumer<Requests.Read, StateResponse> onRead = (request, response) -> {};
    public BiConsumer<Requests.Update, StateResponse> onUpdate =
            (request, response) -> response.setAttribute("pid", Value.number(43));
    public BiConsumer<Requests.Delete, Diagnostics> onDelete = (request, diagnostics) -> {};

    public final List<String> calls = new ArrayList<>();

    @Override
    public String typeName() {
        return TYPE_NAME;
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public void modifyPlan(Requests.Plan request, PlanResponse response) {
        calls.add("plan");
        onPlan.accept(request, response);
    }

    @Override
    public void create(Requests.Create request, StateResponse response) {
        calls.add("create");
        onCreate.accept(request, response);
    }

    @Override
    public void read(Requests.Read request, StateResponse response) {
        calls.add("read");
        onRead.accept(request, response);
    }

    @Override
    public void update(Requests.Update request, StateResponse response) {
        calls.add("update");
        onUpdate.accept(request, response);
    }

    @Override
    public void delete(Requests.Delete request, Diagnostics diagnostics) {
        calls.add("delete");
        onDelete.accept(request, diagnostics);
    }

    // ------------------------------------------------------------ values

    public static Value str(String s) {
        return Value.string(s);
    }

    public static Value num(long n) {
        return Value.number(n);
    }

    public static Value unknownString() {
        return Value.unknown(TfType.STRING);
    }

    public static Value unknownNumber() {
        return Value.unknown(TfType.NUMBER);
    }

    public static Value nullString() {
        return Value.nullOf(TfType.STRING);
    }

    public static Value nullNumber() {
        return Value.nullOf(TfType.NUMBER);
    }

    public static Value tags(String... keys) {
        List<Value> out = new ArrayList<>();
        for (String k : keys) {
            out.add(Value.object(TAG_BLOCK.type(), Map.of("key", Value.string(k))));
        }
        return Value.list(TAG_BLOCK.type(), out);
    }

    /**
     * An object of the resource type: every attribute null and no tag blocks, except those given as name/value
     * pairs.
     */
    public static Value object(Object... pairs) {
        Map<String, Value> out = new LinkedHashMap<>();
        out.put("name", nullString());
        out.put("size", nullNumber());
        out.put("note", nullString());
        out.put("id", nullString());
        out.put("pid", nullNumber());
        out.put("tag", tags());
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], (Value) pairs[i + 1]);
        }
        return Value.object(TYPE, out);
    }

    public static Value nullObject() {
        return Value.nullOf(TYPE);
    }
}
