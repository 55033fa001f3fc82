package dev.tfrocketmq.framework.diag;

import dev.tfrocketmq.framework.value.ValuePath;

/**
 * A failure that already knows how to explain itself to an operator. Resources throw it from deep inside host or
 * admin code; the framework turns it into one error diagnostic.
 */
public class OperatorException extends RuntimeException {
    private final String summary;
    private final ValuePath path;

    public OperatorException(String summary, String detail) {
        this(summary, detail, null, null);
    }

    public OperatorException(String summary, String detail, Throwable cause) {
        this(summary, detail, null, cause);
    }

    public OperatorException(String summary, String detail, ValuePath path, Throwable cause) {
        super(detail, cause);
        this.summary = summary;
        this.path = path;
    }

    public String summary() {
        return summary;
    }

    public String detail() {
        return getMessage();
    }

    public ValuePath path() {
        return path;
    }

    public Diagnostic toDiagnostic() {
        return new Diagnostic(Severity.ERROR, summary, getMessage(), path);
    }
}
