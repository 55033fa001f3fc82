package dev.tfrocketmq.framework.schema;

import dev.tfrocketmq.framework.value.TfType;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Attributes plus nested block types; the body of a resource, data source or provider block. */
public record Block(List<Attribute> attributes, List<NestedBlock> blocks, String description, boolean deprecated) {
    public Block {
        attributes = List.copyOf(attributes);
        blocks = List.copyOf(blocks);
        description = description == null ? "" : description;
        var seen = new HashSet<String>();
        attributes.forEach(a -> require(seen.add(a.name()), a.name()));
        blocks.forEach(b -> require(seen.add(b.typeName()), b.typeName()));
    }

    private static void require(boolean unique, String name) {
        if (!unique) {
            throw new IllegalArgumentException("duplicate name in block: " + name);
        }
    }

    public static Block of(String description, Attribute... attributes) {
        return new Block(List.of(attributes), List.of(), description, false);
    }

    public Block withBlocks(NestedBlock... nested) {
        return new Block(attributes, List.of(nested), description, deprecated);
    }

    public Optional<Attribute> attribute(String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    public Optional<NestedBlock> block(String name) {
        return blocks.stream().filter(b -> b.typeName().equals(name)).findFirst();
    }

    public TfType.ObjectType type() {
        Map<String, TfType> types = new LinkedHashMap<>();
        attributes.forEach(a -> types.put(a.name(), a.type()));
        blocks.forEach(b -> types.put(b.typeName(), b.type()));
        return TfType.object(types);
    }
}
