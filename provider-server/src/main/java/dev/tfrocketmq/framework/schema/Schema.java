package dev.tfrocketmq.framework.schema;

import java.util.Objects;

/** A versioned block: what Terraform stores state against. */
public record Schema(long version, Block block) {
    public Schema {
        Objects.requireNonNull(block, "block");
    }

    public static Schema of(Block block) {
        return new Schema(0, block);
    }
}
