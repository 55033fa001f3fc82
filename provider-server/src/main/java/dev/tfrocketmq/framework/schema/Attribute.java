package dev.tfrocketmq.framework.schema;

import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One attribute of a block: immutable data. {@code defaultValue} (optional+computed attributes only) is planned when
 * the configuration leaves the attribute null. A {@code writeOnly} attribute (protocol 6.8, Terraform 1.11+) is read
 * from the configuration only: it is planned and stored as null, so its value never reaches plan or state.
 */
public record Attribute(
        String name,
        TfType type,
        String description,
        boolean required,
        boolean optional,
        boolean computed,
        boolean sensitive,
        boolean writeOnly,
        Value defaultValue,
        List<Validator> validators,
        List<PlanModifier> planModifiers) {

    public Attribute {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (!name.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("attribute name must match [a-z0-9_]+: " + name);
        }
        if (required && (optional || computed)) {
            throw new IllegalArgumentException(name + ": required excludes optional and computed");
        }
        if (!required && !optional && !computed) {
            throw new IllegalArgumentException(name + ": must be required, optional or computed");
        }
        if (defaultValue != null && !(optional && computed)) {
            throw new IllegalArgumentException(name + ": a default needs optional + computed");
        }
        if (writeOnly && (computed || defaultValue != null)) {
            throw new IllegalArgumentException(
                    name + ": a write-only attribute is never stored, so it cannot be computed");
        }
        description = description == null ? "" : description;
        validators = List.copyOf(validators);
        planModifiers = List.copyOf(planModifiers);
    }

    public static Builder string(String name) {
        return new Builder(name, TfType.STRING);
    }

    public static Builder number(String name) {
        return new Builder(name, TfType.NUMBER);
    }

    public static Builder bool(String name) {
        return new Builder(name, TfType.BOOL);
    }

    public static Builder of(String name, TfType type) {
        return new Builder(name, type);
    }

    public boolean requiresReplace() {
        return planModifiers.stream().anyMatch(m -> m instanceof PlanModifiers.RequiresReplace);
    }

    /** Fluent construction; every attribute in a schema is made with this. */
    public static final class Builder {
        private final String name;
        private final TfType type;
        private String description = "";
        private boolean required;
        private boolean optional;
        private boolean computed;
        private boolean sensitive;
        private boolean writeOnly;
        private Value defaultValue;
        private final List<Validator> validators = new ArrayList<>();
        private final List<PlanModifier> planModifiers = new ArrayList<>();

        private Builder(String name, TfType type) {
            this.name = name;
            this.type = type;
        }

        public Builder description(String text) {
            this.description = text;
            return this;
        }

        public Builder required() {
            this.required = true;
            return this;
        }

        public Builder optional() {
            this.optional = true;
            return this;
        }

        public Builder computed() {
            this.computed = true;
            return this;
        }

        public Builder sensitive() {
            this.sensitive = true;
            return this;
        }

        /**
         * Taken from the configuration only: planned and stored as null. Needs a client that allows write-only
         * attributes (Terraform 1.11+); an older one is told so when it validates a configuration that sets it.
         */
        public Builder writeOnly() {
            this.writeOnly = true;
            return this;
        }

        /** Optional + computed with a value planned when the configuration leaves it out. */
        public Builder defaultValue(Value value) {
            this.optional = true;
            this.computed = true;
            this.defaultValue = value;
            return this;
        }

        public Builder validate(Validator validator) {
            validators.add(validator);
            return this;
        }

        public Builder modify(PlanModifier modifier) {
            planModifiers.add(modifier);
            return this;
        }

        public Builder requiresReplace() {
            return modify(PlanModifiers.requiresReplace());
        }

        public Builder useStateForUnknown() {
            return modify(PlanModifiers.useStateForUnknown());
        }

        public Attribute build() {
            return new Attribute(
                    name,
                    type,
                    description,
                    required,
                    optional,
                    computed,
                    sensitive,
                    writeOnly,
                    defaultValue,
                    validators,
                    planModifiers);
        }
    }
}
