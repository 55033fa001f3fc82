package dev.tfrocketmq.framework.schema;

/** The standard plan modifiers. */
public final class PlanModifiers {
    private PlanModifiers() {}

    public static PlanModifier requiresReplace() {
        return new RequiresReplace();
    }

    public static PlanModifier useStateForUnknown() {
        return new UseStateForUnknown();
    }

    /** A change of this attribute destroys the object and creates a new one. */
    public static final class RequiresReplace implements PlanModifier {
        @Override
        public String description() {
            return "changing this value replaces the resource";
        }

        @Override
        public Result modify(Request request) {
            if (request.creating()) {
                return Result.keep(request);
            }
            boolean changed =
                    request.planned().isUnknown() || !request.planned().equals(request.prior());
            return new Result(request.planned(), changed);
        }
    }

    /** A computed value that does not change once known: keep the prior value instead of planning unknown. */
    public static final class UseStateForUnknown implements PlanModifier {
        @Override
        public String description() {
            return "keeps its value from the state once known";
        }

        @Override
        public Result modify(Request request) {
            if (!request.creating()
                    && request.planned().isUnknown()
                    && request.config().isNull()
                    && !request.prior().isNull()) {
                return new Result(request.prior(), false);
            }
            return Result.keep(request);
        }
    }
}
