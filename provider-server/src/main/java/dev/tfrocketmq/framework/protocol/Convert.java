package dev.tfrocketmq.framework.protocol;

import com.google.protobuf.ByteString;
import dev.tfrocketmq.framework.diag.Diagnostic;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.diag.Severity;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.NestedBlock;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.value.JsonValues;
import dev.tfrocketmq.framework.value.Msgpack;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import dev.tfrocketmq.tfplugin6.Tfplugin6;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/** Conversions between protocol messages and framework values, schemas and diagnostics. */
final class Convert {
    private Convert() {}

    /** An absent or empty DynamicValue is null, as Terraform reads it. */
    static Value value(Tfplugin6.DynamicValue dv, TfType type) {
        if (dv == null) {
            return Value.nullOf(type);
        }
        if (!dv.getMsgpack().isEmpty()) {
            return Msgpack.decode(dv.getMsgpack().toByteArray(), type);
        }
        if (!dv.getJson().isEmpty()) {
            return JsonValues.decode(dv.getJson().toStringUtf8(), type);
        }
        return Value.nullOf(type);
    }

    static Tfplugin6.DynamicValue dynamic(Value value, TfType type) {
        return Tfplugin6.DynamicValue.newBuilder()
                .setMsgpack(ByteString.copyFrom(Msgpack.encode(value, type)))
                .build();
    }

    static List<Tfplugin6.Diagnostic> diagnostics(Diagnostics diagnostics) {
        return diagnostics.all().stream().map(Convert::diagnostic).toList();
    }

    static Tfplugin6.Diagnostic diagnostic(Diagnostic d) {
        Tfplugin6.Diagnostic.Builder b = Tfplugin6.Diagnostic.newBuilder()
                .setSeverity(
                        d.severity() == Severity.ERROR
                                ? Tfplugin6.Diagnostic.Severity.ERROR
                                : Tfplugin6.Diagnostic.Severity.WARNING)
                .setSummary(d.summary())
                .setDetail(d.detail());
        if (d.path() != null && !d.path().steps().isEmpty()) {
            b.setAttribute(path(d.path()));
        }
        return b.build();
    }

    static Tfplugin6.AttributePath path(ValuePath path) {
        Tfplugin6.AttributePath.Builder b = Tfplugin6.AttributePath.newBuilder();
        for (ValuePath.Step step : path.steps()) {
            Tfplugin6.AttributePath.Step.Builder s = Tfplugin6.AttributePath.Step.newBuilder();
            if (step instanceof ValuePath.AttributeStep a) {
                s.setAttributeName(a.name());
            } else if (step instanceof ValuePath.KeyStep k) {
                s.setElementKeyString(k.key());
            } else if (step instanceof ValuePath.IndexStep i) {
                s.setElementKeyInt(i.index());
            }
            b.addSteps(s);
        }
        return b.build();
    }

    static List<Tfplugin6.AttributePath> paths(Collection<ValuePath> paths) {
        return paths.stream().map(Convert::path).toList();
    }

    static Tfplugin6.Schema schema(Schema schema) {
        return Tfplugin6.Schema.newBuilder()
                .setVersion(schema.version())
                .setBlock(block(schema.block()))
                .build();
    }

    static Tfplugin6.Schema.Block block(Block block) {
        Tfplugin6.Schema.Block.Builder b = Tfplugin6.Schema.Block.newBuilder()
                .setDescription(block.description())
                .setDescriptionKind(Tfplugin6.StringKind.MARKDOWN)
                .setDeprecated(block.deprecated());
        for (Attribute a : block.attributes()) {
            b.addAttributes(Tfplugin6.Schema.Attribute.newBuilder()
                    .setName(a.name())
                    .setType(ByteString.copyFrom(a.type().toJson(), StandardCharsets.UTF_8))
                    .setDescription(a.description())
                    .setDescriptionKind(Tfplugin6.StringKind.MARKDOWN)
                    .setRequired(a.required())
                    .setOptional(a.optional())
                    .setComputed(a.computed())
                    .setSensitive(a.sensitive())
                    .setWriteOnly(a.writeOnly()));
        }
        for (NestedBlock nb : block.blocks()) {
            b.addBlockTypes(Tfplugin6.Schema.NestedBlock.newBuilder()
                    .setTypeName(nb.typeName())
                    .setBlock(block(nb.block()))
                    .setNestingValue(nb.nesting().wire())
                    .setMinItems(nb.minItems())
                    .setMaxItems(nb.maxItems()));
        }
        return b.build();
    }
}
