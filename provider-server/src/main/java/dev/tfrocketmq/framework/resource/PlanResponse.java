package dev.tfrocketmq.framework.resource;

import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The plan being built. Resources may set computed attributes whose configuration is null and may ask for
 * replacement; the framework checks the result against Terraform's rules before sending it.
 */
public final class PlanResponse {
    private Value planned;
    private final Set<ValuePath> requiresReplace = new LinkedHashSet<>();
    private final Diagnostics diagnostics = new Diagnostics();
    private byte[] privateData;

    public PlanResponse(Value planned) {
        this.planned = planned;
    }

    /** Private data to keep beside the planned state; null (the default) keeps the prior private data. */
    public byte[] privateData() {
        return privateData;
    }

    public void setPrivateData(byte[] privateData) {
        this.privateData = privateData;
    }

    public Value planned() {
        return planned;
    }

    public void setAttribute(String name, Value value) {
        planned = planned.withAttribute(name, value);
    }

    public Value attribute(String name) {
        return planned.attribute(name);
    }

    public void setPlanned(Value planned) {
        this.planned = planned;
    }

    public void requireReplace(ValuePath path) {
        requiresReplace.add(path);
    }

    public Set<ValuePath> requiresReplace() {
        return Set.copyOf(requiresReplace);
    }

    public Diagnostics diagnostics() {
        return diagnostics;
    }
}
