package dev.tfrocketmq.framework.resource;

import dev.tfrocketmq.framework.value.Value;

/** The request records handed to resources and data sources. Values are whole objects of the schema's type. */
public final class Requests {
    private Requests() {}

    /** Configuration to check; may contain unknown values anywhere. */
    public record Validate(Value config) {}

    /**
     * Plan customisation. {@code prior} is null (Java null) when the resource is being created; {@code config} may
     * contain unknowns. {@code priorPrivate} is what the last read or apply kept beside the state (empty if nothing).
     */
    public record Plan(Value config, Value prior, byte[] priorPrivate, Cancellation cancellation) {
        public Plan {
            priorPrivate = priorPrivate == null ? new byte[0] : priorPrivate;
        }

        public Plan(Value config, Value prior, Cancellation cancellation) {
            this(config, prior, new byte[0], cancellation);
        }

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
