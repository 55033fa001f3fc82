package dev.tfrocketmq.acceptance.harness;

import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * For ordered classes whose tests are steps on one shared system: once a step fails, the later steps are
 * skipped instead of failing for the same reason. {@code @AfterAll} methods still run.
 */
public final class StopAfterFailedStep implements ExecutionCondition, TestWatcher {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(StopAfterFailedStep.class);
    private static final String FAILED = "failed step";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            return ConditionEvaluationResult.enabled("class level");
        }
        String failed =
                classStore(context).map(s -> s.get(FAILED, String.class)).orElse(null);
        return failed == null
                ? ConditionEvaluationResult.enabled("no earlier step failed")
                : ConditionEvaluationResult.disabled("skipped because an earlier step failed: " + failed);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        classStore(context).ifPresent(s -> s.put(FAILED, context.getDisplayName()));
    }

    private static Optional<ExtensionContext.Store> classStore(ExtensionContext context) {
        return context.getParent().map(parent -> parent.getStore(NAMESPACE));
    }
}
