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
        if ((nesting == NestingMode.SINGLE || nesting == NestingMode.GROUP) && (minItems != maxItems || minItems > 1)) {
            throw new IllegalArgumentException(
                    typeName + ": single and group blocks need equal min and max items, 0 or 1");
        }
        if (minItems < 0 || maxItems < 0 || (maxItems > 0 && minItems > maxItems)) {
            throw new IllegalArgumentException(typeName + ": invalid item bounds " + minItems + ".." + maxItems);
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
