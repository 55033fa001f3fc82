package dev.tfrocketmq.framework.diag;

import dev.tfrocketmq.framework.value.ValuePath;
import java.util.Objects;

/**
 * One message for the operator. {@code summary} names the failure; {@code detail} names host, attribute, command and
 * what to do next; {@code path} (nullable) points Terraform at the configuration expression.
 */
public record Diagnostic(Severity severity, String summary, String detail, ValuePath path) {
    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(summary, "summary");
        detail = detail == null ? "" : detail;
    }

    public static Diagnostic error(String summary, String detail) {
        return new Diagnostic(Severity.ERROR, summary, detail, null);
    }

    public static Diagnostic attributeError(ValuePath path, String summary, String detail) {
        return new Diagnostic(Severity.ERROR, summary, detail, path);
    }

    public static Diagnostic warning(String summary, String detail) {
        return new Diagnostic(Severity.WARNING, summary, detail, null);
    }

    public static Diagnostic attributeWarning(ValuePath path, String summary, String detail) {
        return new Diagnostic(Severity.WARNING, summary, detail, path);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }
}
