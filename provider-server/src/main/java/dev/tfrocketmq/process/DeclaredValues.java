package dev.tfrocketmq.process;

import dev.tfrocketmq.context.SshBlock;
import dev.tfrocketmq.framework.resource.PlanRules;
import dev.tfrocketmq.framework.value.JsonValues;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import java.nio.charset.StandardCharsets;

/**
 * The declared values of a process, recorded in its directory as {@value #FILE} so that it can be imported: without
 * the connection settings (no host, no SSH secrets), pid or observed state.
 */
final class DeclaredValues {
    static final String FILE = "terraform-declared.json";

    private DeclaredValues() {}

    static byte[] encode(Value planned, TfType.ObjectType type) {
        Value recorded = planned.withAttribute("host", Value.nullOf(TfType.STRING))
                .withAttribute(
                        SshBlock.NAME,
                        Value.nullOf(planned.attribute(SshBlock.NAME).type()))
                .withAttribute("pid", Value.nullOf(TfType.NUMBER))
                .withAttribute("state", Value.string(ProcessSchema.RUNNING));
        return JsonValues.encode(PlanRules.resolveUnknowns(recorded, null), type)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The recorded values, on {@code host} (null for the machine running Terraform). */
    static Value decode(byte[] recorded, TfType.ObjectType type, Value host) {
        return JsonValues.decode(new String(recorded, StandardCharsets.UTF_8), type)
                .withAttribute("host", host);
    }
}
