package dev.tfrocketmq.framework.schema;

import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;

/** Adjusts the planned value of one attribute, or asks for replacement. */
public interface PlanModifier {
    String description();

    Result modify(Request request);

    /**
     * @param prior   the attribute's value in the prior state; null (Java null) when the resource is being created
     * @param planned the value planned so far
     */
    record Request(ValuePath path, Value config, Value prior, Value planned) {
        public boolean creating() {
            return prior == null;
        }
    }

    record Result(Value planned, boolean requiresReplace) {
        public static Result keep(Request request) {
            return new Result(request.planned(), false);
        }
    }
}
