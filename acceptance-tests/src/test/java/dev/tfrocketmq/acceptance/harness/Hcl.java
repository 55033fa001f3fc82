package dev.tfrocketmq.acceptance.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders values as HCL expressions, quoting strings so that any text arrives at the provider unchanged. */
public final class Hcl {
    private Hcl() {}

    /** A quoted HCL string literal; escapes quotes, backslashes, control characters and template sequences. */
    public static String string(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            char next = i + 1 < value.length() ? value.charAt(i + 1) : 0;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '$' -> out.append(next == '{' ? "$$" : "$");
                case '%' -> out.append(next == '{' ? "%%" : "%");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** A list of quoted strings on one line. */
    public static String list(String... values) {
        return list(List.of(values));
    }

    public static String list(List<String> values) {
        return values.stream().map(Hcl::string).collect(Collectors.joining(", ", "[", "]"));
    }

    /** A map of quoted keys to quoted values on one line. */
    public static String map(Map<String, String> entries) {
        return entries.entrySet().stream()
                .map(e -> string(e.getKey()) + " = " + string(e.getValue()))
                .collect(Collectors.joining(", ", "{ ", " }"));
    }

    /** The terraform block pinning this provider. */
    public static String requiredProvider() {
        return "terraform {\n"
                + "  required_providers {\n"
                + "    rocketmq = {\n"
                + "      source  = " + string(Project.PROVIDER_SOURCE) + "\n"
                + "      version = " + string(Project.PROVIDER_VERSION) + "\n"
                + "    }\n"
                + "  }\n"
                + "}\n";
    }

    /**
     * An immutable block such as {@code resource "rocketmq_topic" "t"}, its attributes kept in order, each rendered
     * on one line so a diagnostic snippet shows the attribute next to its value.
     */
    public static final class Block {
        private final String header;
        private final Map<String, String> attributes;
        private final List<Block> blocks;

        private Block(String header, Map<String, String> attributes, List<Block> blocks) {
            this.header = header;
            this.attributes = attributes;
            this.blocks = blocks;
        }

        public static Block resource(String type, String name) {
            return new Block("resource " + string(type) + " " + string(name), Map.of(), List.of());
        }

        public static Block data(String type, String name) {
            return new Block("data " + string(type) + " " + string(name), Map.of(), List.of());
        }

        public static Block provider(String name) {
            return new Block("provider " + string(name), Map.of(), List.of());
        }

        /** A nested block without labels, such as {@code ssh { ... }}, to add with {@link #withBlock}. */
        public static Block nested(String type) {
            if (!type.matches("[a-z_]+")) {
                throw new IllegalArgumentException("block type " + type);
            }
            return new Block(type, Map.of(), List.of());
        }

        /** A copy with {@code block} nested after the attributes. */
        public Block withBlock(Block block) {
            List<Block> copy = new ArrayList<>(blocks);
            copy.add(block);
            return new Block(header, attributes, List.copyOf(copy));
        }

        /** A copy with {@code name = expression}, replacing an attribute of that name in place. */
        public Block with(String name, String expression) {
            Map<String, String> copy = new LinkedHashMap<>(attributes);
            copy.put(name, expression);
            return new Block(header, copy, blocks);
        }

        public Block withString(String name, String value) {
            return with(name, string(value));
        }

        public Block without(String name) {
            Map<String, String> copy = new LinkedHashMap<>(attributes);
            copy.remove(name);
            return new Block(header, copy, blocks);
        }

        public String render() {
            int width =
                    attributes.keySet().stream().mapToInt(String::length).max().orElse(0);
            List<String> lines = new ArrayList<>();
            lines.add(header + " {");
            attributes.forEach((name, expression) ->
                    lines.add("  " + name + " ".repeat(width - name.length()) + " = " + expression));
            for (Block block : blocks) {
                block.render().lines().forEach(line -> lines.add("  " + line));
            }
            lines.add("}");
            return String.join("\n", lines) + "\n";
        }

        @Override
        public String toString() {
            return render();
        }
    }
}
