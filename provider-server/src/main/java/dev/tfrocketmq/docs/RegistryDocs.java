package dev.tfrocketmq.docs;

import dev.tfrocketmq.framework.resource.DataSource;
import dev.tfrocketmq.framework.resource.ImportableResource;
import dev.tfrocketmq.framework.resource.Resource;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.NestedBlock;
import dev.tfrocketmq.provider.RocketMqProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Registry-format documentation (docs/index.md, docs/resources/*.md, docs/data-sources/*.md) generated from the
 * schemas and the examples, so the docs cannot drift from what the provider accepts.
 * Usage: RegistryDocs <repository root>.
 */
public final class RegistryDocs {
    private RegistryDocs() {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        for (Map.Entry<Path, String> page : pages(root).entrySet()) {
            Files.createDirectories(page.getKey().getParent());
            Files.writeString(page.getKey(), page.getValue());
        }
        System.exit(0);
    }

    /** Every page, keyed by its path under {@code root}. */
    public static Map<Path, String> pages(Path root) throws IOException {
        RocketMqProvider provider = new RocketMqProvider();
        Map<Path, String> out = new LinkedHashMap<>();
        StringBuilder index = new StringBuilder(
                        "---\npage_title: \"Provider: rocketmq\"\n---\n\n# rocketmq provider\n\n")
                .append(provider.schema().block().description())
                .append("\n\n## Example Usage\n\n```terraform\n")
                .append(Files.readString(root.resolve("examples/quickstart/main.tf"))
                        .strip())
                .append("\n```\n\n");
        block(index, provider.schema().block(), "");
        index.append(DayTwo.text());
        out.put(root.resolve("docs/index.md"), index.toString());
        for (Resource r : provider.resources()) {
            StringBuilder page = page(root, r.typeName(), "resource", r.schema().block());
            if (r instanceof ImportableResource importable) {
                page.append("\n## Import\n\nID format: `")
                        .append(importable.importIdFormat())
                        .append("`\n");
                Path script = root.resolve("examples/resources/" + r.typeName() + "/import.sh");
                if (Files.exists(script)) {
                    page.append("\n```shell\n")
                            .append(Files.readString(script).strip())
                            .append("\n```\n");
                }
            }
            out.put(
                    root.resolve("docs/resources/" + r.typeName().substring("rocketmq_".length()) + ".md"),
                    page.toString());
        }
        for (DataSource d : provider.dataSources()) {
            out.put(
                    root.resolve("docs/data-sources/" + d.typeName().substring("rocketmq_".length()) + ".md"),
                    page(root, d.typeName(), "data source", d.schema().block()).toString());
        }
        return out;
    }

    private static StringBuilder page(Path root, String type, String kind, Block block) throws IOException {
        StringBuilder sb = new StringBuilder("---\npage_title: \"")
                .append(type)
                .append(" (")
                .append(kind)
                .append(")\"\n---\n\n# ")
                .append(type)
                .append(" (")
                .append(kind)
                .append(")\n\n")
                .append(block.description())
                .append("\n\n");
        Path example = root.resolve("examples/" + (kind.equals("resource") ? "resources/" : "data-sources/") + type
                + "/" + (kind.equals("resource") ? "resource.tf" : "data-source.tf"));
        if (Files.exists(example)) {
            sb.append("## Example Usage\n\n```terraform\n")
                    .append(Files.readString(example).strip())
                    .append("\n```\n\n");
        }
        block(sb, block, "");
        return sb;
    }

    private static void block(StringBuilder sb, Block block, String prefix) {
        section(
                sb,
                "Required",
                block.attributes().stream().filter(Attribute::required).toList(),
                prefix);
        section(
                sb,
                "Optional",
                block.attributes().stream().filter(Attribute::optional).toList(),
                prefix);
        section(
                sb,
                "Read-Only",
                block.attributes().stream()
                        .filter(a -> a.computed() && !a.optional())
                        .toList(),
                prefix);
        for (NestedBlock nb : block.blocks()) {
            sb.append("### Nested block `")
                    .append(prefix)
                    .append(nb.typeName())
                    .append("`\n\n")
                    .append(nb.block().description())
                    .append("\n\n");
            block(sb, nb.block(), prefix + nb.typeName() + ".");
        }
    }

    private static void section(StringBuilder sb, String title, List<Attribute> attributes, String prefix) {
        if (attributes.isEmpty()) {
            return;
        }
        sb.append("### ")
                .append(prefix.isEmpty() ? title : title + " (`" + prefix.replaceAll("\\.$", "") + "`)")
                .append("\n\n");
        for (Attribute a : attributes) {
            sb.append("- `")
                    .append(a.name())
                    .append("` (")
                    .append(typeName(a))
                    .append(a.sensitive() ? ", sensitive" : "")
                    .append(a.writeOnly() ? ", write-only: Terraform 1.11+, never stored in plan or state" : "")
                    .append(") ")
                    .append(a.description());
            if (a.defaultValue() != null) {
                sb.append(" Default: `")
                        .append(a.defaultValue().toString().replace("\"", ""))
                        .append("`.");
            }
            if (a.requiresReplace() && !a.description().contains("replace")) {
                sb.append(" Changing it forces a new resource.");
            }
            sb.append('\n');
        }
        sb.append('\n');
    }

    private static String typeName(Attribute a) {
        String json = a.type().toJson();
        return json.replace("\"", "").replace("[", "(").replace("]", ")").replace(",", " of ");
    }
}
