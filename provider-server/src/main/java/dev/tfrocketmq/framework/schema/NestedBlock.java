package dev.tfrocketmq.framework.schema;

import dev.tfrocketmq.framework.value.TfType;
import java.util.Objects;

/** A block type inside a block, such as a {@code connection} block. */
public record NestedBlock(String typeName, NestingMode nesting, Block block, int minItems, int maxItems) {
    public NestedBlock {
        Objects.requireNonNull(typeName, "typeName");
        Objects.requireNonNull(nesting, "nesting");
        Objects.requireNonNull(block, "block");
        if (!typeName.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("block name must match [a-z0-9_]+: " + typeName);
        }
    }

    public static NestedBlock of(String typeName, NestingMode nesting, Block block) {
        return new NestedBlock(typeName, nesting, block, 0, 0);
    }

    /** The cty type of this block's value inside its parent object. */
    public TfType type() {
        TfType object = block.type();
        return switch (nesting) {
            case SINGLE, GROUP -> object;
            case LIST -> TfType.list(object);
            case SET -> TfType.set(object);
            case MAP -> TfType.map(object);
        };
    }
}
