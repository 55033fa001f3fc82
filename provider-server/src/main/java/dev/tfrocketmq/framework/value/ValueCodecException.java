package dev.tfrocketmq.framework.value;

import java.util.Objects;

/**
 * A value could not be encoded or decoded. The message names the place inside the value and what
 * was wrong there; {@link #path()} gives the place in structured form.
 */
public final class ValueCodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ValuePath path;
    private final String problem;

    public ValueCodecException(ValuePath path, String problem) {
        this(path, problem, null);
    }

    public ValueCodecException(ValuePath path, String problem, Throwable cause) {
        super(describe(path, problem), cause);
        this.path = Objects.requireNonNull(path, "path");
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** Where in the value the problem was found; the root path for the value as a whole. */
    public ValuePath path() {
        return path;
    }

    /** What was wrong, without the path. */
    public String problem() {
        return problem;
    }

    private static String describe(ValuePath path, String problem) {
        return path == null || path.isRoot() ? "at the root value: " + problem : "at " + path + ": " + problem;
    }
}
