package dev.tfrocketmq.framework.resource;

import dev.tfrocketmq.framework.value.Value;

/** The request records handed to resources and data sources. Values are whole objects of the schema's type. */
public final class Requests {
    private Requests() {}

    /** Configuration to check; may contain unknown values anywhere. */
    public record Validate(Value config) {}

    /**
     * Plan customisation. {@code prior} is null (Java null) when the resource is being created; {@code config} may
     * contain unknowns.
     */
    public record Plan(Value config, Value prior, Cancellation cancellation) {
        public boolean creating() {
            return prior == null;
        }
    }

    /** Create: {@code planned} is the plan, unknown where a value is computed at apply time. */
    public record Create(Value config, Value planned, Cancellation cancellation) {}

    public record Read(Value current, byte[] privateData, Cancellation cancellation) {}

    public record Update(Value config, Value prior, Value planned, byte[] privateData, Cancellation cancellation) {}

    public record Delete(Value prior, byte[] privateData, Cancellation cancellation) {}

    public record Import(String id, Cancellation cancellation) {}

    public record ReadData(Value config, Cancellation cancellation) {}
}
