package dev.tfrocketmq.framework.value;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A path to a place inside a value, used in diagnostics. Immutable; each step method returns a new
 * path.
 *
 * <p>{@link #toString()} renders Terraform-like syntax: {@code broker.properties["a"][2]}; the root
 * path renders as the empty string.
 */
public final class ValuePath {
    private static final ValuePath ROOT = new ValuePath(List.of());

    private final List<Step> steps;

    private ValuePath(List<Step> steps) {
        this.steps = steps;
    }

    public static ValuePath root() {
        return ROOT;
    }

    /** A path made of the given steps. */
    public static ValuePath of(List<? extends Step> steps) {
        List<Step> copy = List.copyOf(steps);
        return copy.isEmpty() ? ROOT : new ValuePath(copy);
    }

    /** This path extended by an object attribute (or block) name. */
    public ValuePath attribute(String name) {
        return append(new AttributeStep(name));
    }

    /** This path extended by a map key. */
    public ValuePath key(String mapKey) {
        return append(new KeyStep(mapKey));
    }

    /** This path extended by a list or tuple index. */
    public ValuePath index(int i) {
        return append(new IndexStep(i));
    }

    /** This path extended by one step. */
    public ValuePath append(Step step) {
        Objects.requireNonNull(step, "step");
        List<Step> next = new ArrayList<>(steps.size() + 1);
        next.addAll(steps);
        next.add(step);
        return new ValuePath(List.copyOf(next));
    }

    public List<Step> steps() {
        return steps;
    }

    public boolean isRoot() {
        return steps.isEmpty();
    }

    /** The path without its last step; the root's parent is the root. */
    public ValuePath parent() {
        return steps.size() <= 1 ? ROOT : new ValuePath(steps.subList(0, steps.size() - 1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValuePath other && steps.equals(other.steps);
    }

    @Override
    public int hashCode() {
        return steps.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Step step : steps) {
            if (step instanceof AttributeStep a) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(a.name());
            } else if (step instanceof KeyStep k) {
                sb.append('[');
                appendQuoted(sb, k.key());
                sb.append(']');
            } else if (step instanceof IndexStep i) {
                sb.append('[').append(i.index()).append(']');
            }
        }
        return sb.toString();
    }

    static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** One step of a path. */
    public sealed interface Step permits AttributeStep, KeyStep, IndexStep {}

    /** An object attribute or block name. */
    public record AttributeStep(String name) implements Step {
        public AttributeStep {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A map key (or MAP block label). */
    public record KeyStep(String key) implements Step {
        public KeyStep {
            Objects.requireNonNull(key, "key");
        }
    }

    /** A list or tuple index. */
    public record IndexStep(int index) implements Step {}
}
