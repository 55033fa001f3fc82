package dev.tfrocketmq.framework.resource;

import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.NestedBlock;
import dev.tfrocketmq.framework.schema.NestingMode;
import dev.tfrocketmq.framework.schema.PlanModifier;
import dev.tfrocketmq.framework.schema.PlanModifiers;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Terraform's plan and apply contract (which values a plan may hold, and what an applied state must keep), written
 * once so that no resource can produce an invalid plan or an inconsistent result.
 */
public final class PlanRules {
    private PlanRules() {}

    /**
     * Starts from the proposed new state and fills computed attributes the configuration leaves null: the default,
     * unknown on create, the prior value otherwise. {@code prior} is null on create.
     */
    public static Value basePlan(Block block, Value config, Value prior, Value proposed) {
        Map<String, Value> out = new LinkedHashMap<>();
        for (Attribute a : block.attributes()) {
            Value cfg = config.attribute(a.name());
            Value value = proposed.attribute(a.name());
            if (a.writeOnly()) {
                // Taken from the configuration at apply; never planned, never stored.
                value = Value.nullOf(a.type());
            } else if (a.computed() && cfg.isNull()) {
                if (a.defaultValue() != null) {
                    value = a.defaultValue();
                } else if (prior == null) {
                    value = Value.unknown(a.type());
                }
            }
            out.put(a.name(), value);
        }
        for (NestedBlock nb : block.blocks()) {
            out.put(
                    nb.typeName(),
                    planNested(
                            nb,
                            config.attribute(nb.typeName()),
                            prior == null ? null : prior.attribute(nb.typeName()),
                            proposed.attribute(nb.typeName())));
        }
        return Value.object(block.type(), out);
    }

    private static Value planNested(NestedBlock nb, Value config, Value prior, Value proposed) {
        if (proposed.isNull() || proposed.isUnknown() || config.isUnknown()) {
            return proposed;
        }
        Block inner = nb.block();
        return switch (nb.nesting()) {
            case SINGLE, GROUP ->
                config.isNull()
                        ? proposed
                        : basePlan(inner, config, prior == null || prior.isNull() ? null : prior, proposed);
            case LIST -> {
                List<Value> cfg = config.isNull() ? List.of() : config.elements();
                List<Value> prop = proposed.elements();
                List<Value> priorList = prior == null || prior.isNull() ? List.of() : prior.elements();
                List<Value> out = new ArrayList<>();
                for (int i = 0; i < prop.size(); i++) {
                    Value p = i < priorList.size() ? priorList.get(i) : null;
                    out.add(i < cfg.size() ? basePlan(inner, cfg.get(i), p, prop.get(i)) : prop.get(i));
                }
                yield Value.list(inner.type(), out);
            }
            case MAP -> {
                Map<String, Value> cfg = config.isNull() ? Map.of() : config.entries();
                Map<String, Value> priorMap = prior == null || prior.isNull() ? Map.of() : prior.entries();
                Map<String, Value> out = new LinkedHashMap<>();
                proposed.entries()
                        .forEach((k, v) ->
                                out.put(k, cfg.containsKey(k) ? basePlan(inner, cfg.get(k), priorMap.get(k), v) : v));
                yield Value.map(inner.type(), out);
            }
            case SET -> proposed;
        };
    }

    /** On an update, computed values the configuration leaves null may change: plan them unknown. */
    public static Value markComputedUnknown(Block block, Value config, Value planned) {
        Value out = planned;
        for (Attribute a : block.attributes()) {
            if (a.computed()
                    && a.defaultValue() == null
                    && config.attribute(a.name()).isNull()) {
                out = out.withAttribute(a.name(), Value.unknown(a.type()));
            }
        }
        return out;
    }

    /** Runs each attribute's plan modifiers; returns the paths that force replacement. */
    public static Value applyModifiers(
            Block block,
            Value config,
            Value prior,
            Value planned,
            Set<ValuePath> requiresReplace,
            boolean replaceOnly) {
        Value out = planned;
        for (Attribute a : block.attributes()) {
            for (PlanModifier m : a.planModifiers()) {
                boolean isReplace = m instanceof PlanModifiers.RequiresReplace;
                if (isReplace != replaceOnly) {
                    continue;
                }
                ValuePath path = ValuePath.root().attribute(a.name());
                PlanModifier.Result r = m.modify(new PlanModifier.Request(
                        path,
                        config.attribute(a.name()),
                        prior == null ? null : prior.attribute(a.name()),
                        out.attribute(a.name())));
                out = out.withAttribute(a.name(), r.planned());
                if (r.requiresReplace()) {
                    requiresReplace.add(path);
                }
            }
        }
        return out;
    }

    /** Checks a plan against the rules Terraform enforces; any violation is a provider defect, reported as such. */
    public static void checkPlan(
            String provider,
            Block block,
            ValuePath at,
            Value config,
            Value prior,
            Value planned,
            Diagnostics diagnostics) {
        for (Attribute a : block.attributes()) {
            ValuePath path = at.attribute(a.name());
            Value cfg = config.attribute(a.name());
            Value pl = planned.attribute(a.name());
            Value pr = prior == null || prior.isNull() ? null : prior.attribute(a.name());
            if (!conformsTo(pl, a.type())) {
                defect(provider, diagnostics, path, "planned a value of the wrong type: " + pl);
                continue;
            }
            if (a.writeOnly()) {
                if (!pl.isNull()) {
                    defect(provider, diagnostics, path, "planned a value for a write-only attribute");
                }
                continue;
            }
            if (!a.computed() || !cfg.isNull()) {
                boolean asConfigured = pl.equals(cfg);
                boolean keptPrior = a.computed() && pr != null && !cfg.isNull() && !pr.isNull() && pl.equals(pr);
                if (!asConfigured && !keptPrior) {
                    defect(provider, diagnostics, path, "planned " + pl + " where the configuration says " + cfg);
                }
            }
        }
        for (NestedBlock nb : block.blocks()) {
            ValuePath path = at.attribute(nb.typeName());
            Value cfg = config.attribute(nb.typeName());
            Value pl = planned.attribute(nb.typeName());
            Value pr = prior == null || prior.isNull() ? null : prior.attribute(nb.typeName());
            if (cfg.isUnknown()) {
                continue;
            }
            switch (nb.nesting()) {
                case SINGLE, GROUP -> {
                    if (cfg.isNull() != pl.isNull() && nb.nesting() == NestingMode.SINGLE) {
                        defect(provider, diagnostics, path, "planned block presence differs from the configuration");
                    } else if (!pl.isNull() && !cfg.isNull()) {
                        checkPlan(provider, nb.block(), path, cfg, pr, pl, diagnostics);
                    }
                }
                case LIST -> {
                    if (pl.isNull()
                            || pl.isUnknown()
                            || pl.elements().size() != cfg.elements().size()) {
                        defect(provider, diagnostics, path, "planned a different number of blocks than configured");
                    } else {
                        for (int i = 0; i < pl.elements().size(); i++) {
                            Value p = pr != null
                                            && !pr.isNull()
                                            && i < pr.elements().size()
                                    ? pr.elements().get(i)
                                    : null;
                            checkPlan(
                                    provider,
                                    nb.block(),
                                    path.index(i),
                                    cfg.elements().get(i),
                                    p,
                                    pl.elements().get(i),
                                    diagnostics);
                        }
                    }
                }
                case MAP -> {
                    if (pl.isNull()
                            || pl.isUnknown()
                            || !pl.entries().keySet().equals(cfg.entries().keySet())) {
                        defect(provider, diagnostics, path, "planned different block keys than configured");
                    } else {
                        for (String k : pl.entries().keySet()) {
                            Value p = pr != null && !pr.isNull() ? pr.entries().get(k) : null;
                            checkPlan(
                                    provider,
                                    nb.block(),
                                    path.key(k),
                                    cfg.entries().get(k),
                                    p,
                                    pl.entries().get(k),
                                    diagnostics);
                        }
                    }
                }
                case SET -> {
                    if (pl.isNull()) {
                        defect(
                                provider,
                                diagnostics,
                                path,
                                "planned null where a set of blocks must be empty or filled");
                    }
                }
            }
        }
    }

    /**
     * Checks an applied state: wholly known, and every value known in the plan comes back exactly.
     */
    public static void checkApplied(
            String provider, Block block, Value planned, Value newState, Diagnostics diagnostics) {
        if (!newState.isWhollyKnown()) {
            diagnostics.error(
                    "Provider returned an incomplete state",
                    "The provider left a value unknown after apply: " + unknownPaths(newState, ValuePath.root())
                            + ". This is a defect in " + provider + "; please report it.");
            return;
        }
        for (Attribute a : block.attributes()) {
            Value pl = planned.attribute(a.name());
            Value actual = newState.attribute(a.name());
            if (!keeps(pl, actual)) {
                defect(
                        provider,
                        diagnostics,
                        ValuePath.root().attribute(a.name()),
                        "applied " + actual + " where the plan promised " + pl);
            }
        }
        for (NestedBlock nb : block.blocks()) {
            Value pl = planned.attribute(nb.typeName());
            Value actual = newState.attribute(nb.typeName());
            if (!keeps(pl, actual)) {
                defect(
                        provider,
                        diagnostics,
                        ValuePath.root().attribute(nb.typeName()),
                        "applied " + actual + " where the plan promised " + pl);
            }
        }
    }

    /** True if {@code actual} keeps every known part of {@code planned}. */
    static boolean keeps(Value planned, Value actual) {
        if (planned.isUnknown()) {
            return true;
        }
        if (planned.isNull() || actual.isNull() || actual.isUnknown()) {
            return planned.isNull() == actual.isNull() && !actual.isUnknown();
        }
        TfType t = planned.type();
        if (t instanceof TfType.ListType || t instanceof TfType.TupleType) {
            List<Value> p = planned.elements();
            List<Value> a = actual.elements();
            if (p.size() != a.size()) {
                return false;
            }
            for (int i = 0; i < p.size(); i++) {
                if (!keeps(p.get(i), a.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (t instanceof TfType.SetType) {
            return !planned.isWhollyKnown() || planned.equals(actual);
        }
        if (t instanceof TfType.MapType) {
            Map<String, Value> p = planned.entries();
            Map<String, Value> a = actual.entries();
            if (!p.keySet().equals(a.keySet())) {
                return false;
            }
            return p.entrySet().stream().allMatch(e -> keeps(e.getValue(), a.get(e.getKey())));
        }
        if (t instanceof TfType.ObjectType) {
            Map<String, Value> p = planned.attributes();
            Map<String, Value> a = actual.attributes();
            return p.entrySet().stream()
                    .allMatch(e -> a.containsKey(e.getKey()) && keeps(e.getValue(), a.get(e.getKey())));
        }
        return planned.equals(actual);
    }

    /** {@code value} with every write-only attribute of {@code block} (at any depth of nested blocks) null. */
    public static Value withoutWriteOnly(Block block, Value value) {
        if (value == null || value.isNull() || value.isUnknown()) {
            return value;
        }
        Value out = value;
        for (Attribute a : block.attributes()) {
            if (a.writeOnly() && !out.attribute(a.name()).isNull()) {
                out = out.withAttribute(a.name(), Value.nullOf(a.type()));
            }
        }
        for (NestedBlock nb : block.blocks()) {
            Value v = out.attribute(nb.typeName());
            if (v.isNull() || v.isUnknown() || !hasWriteOnly(nb.block())) {
                continue;
            }
            Block inner = nb.block();
            Value cleaned = switch (nb.nesting()) {
                case SINGLE, GROUP -> withoutWriteOnly(inner, v);
                case LIST ->
                    Value.list(
                            inner.type(),
                            v.elements().stream()
                                    .map(e -> withoutWriteOnly(inner, e))
                                    .toList());
                case SET ->
                    Value.set(
                            inner.type(),
                            new LinkedHashSet<>(v.elements().stream()
                                    .map(e -> withoutWriteOnly(inner, e))
                                    .toList()));
                case MAP -> {
                    Map<String, Value> m = new LinkedHashMap<>();
                    v.entries().forEach((k, e) -> m.put(k, withoutWriteOnly(inner, e)));
                    yield Value.map(inner.type(), m);
                }
            };
            out = out.withAttribute(nb.typeName(), cleaned);
        }
        return out;
    }

    private static boolean hasWriteOnly(Block block) {
        return block.attributes().stream().anyMatch(Attribute::writeOnly)
                || block.blocks().stream().anyMatch(nb -> hasWriteOnly(nb.block()));
    }

    /** Replaces every unknown inside {@code value} with the matching part of {@code fallback} or null. */
    public static Value resolveUnknowns(Value value, Value fallback) {
        if (value.isUnknown()) {
            return fallback != null
                            && fallback.isWhollyKnown()
                            && fallback.type().equals(value.type())
                    ? fallback
                    : Value.nullOf(value.type());
        }
        if (value.isNull() || value.isWhollyKnown()) {
            return value;
        }
        TfType t = value.type();
        if (t instanceof TfType.ObjectType ot) {
            Map<String, Value> out = new LinkedHashMap<>();
            value.attributes()
                    .forEach((k, v) -> out.put(
                            k,
                            resolveUnknowns(
                                    v,
                                    fallback != null && !fallback.isNull() && !fallback.isUnknown()
                                            ? fallback.attribute(k)
                                            : null)));
            return Value.object(ot, out);
        }
        if (t instanceof TfType.ListType lt) {
            List<Value> out = new ArrayList<>();
            value.elements().forEach(v -> out.add(resolveUnknowns(v, null)));
            return Value.list(lt.elementType(), out);
        }
        if (t instanceof TfType.SetType st) {
            Set<Value> out = new LinkedHashSet<>();
            value.elements().forEach(v -> out.add(resolveUnknowns(v, null)));
            return Value.set(st.elementType(), out);
        }
        if (t instanceof TfType.MapType mt) {
            Map<String, Value> out = new LinkedHashMap<>();
            value.entries().forEach((k, v) -> out.put(k, resolveUnknowns(v, null)));
            return Value.map(mt.elementType(), out);
        }
        return fallback != null && fallback.isWhollyKnown() ? fallback : Value.nullOf(t);
    }

    static boolean conformsTo(Value value, TfType type) {
        return type.equals(TfType.DYNAMIC) || value.type().equals(type);
    }

    private static List<String> unknownPaths(Value value, ValuePath at) {
        List<String> out = new ArrayList<>();
        if (value.isUnknown()) {
            out.add(at.toString());
        } else if (!value.isNull() && value.type() instanceof TfType.ObjectType) {
            value.attributes().forEach((k, v) -> out.addAll(unknownPaths(v, at.attribute(k))));
        }
        return out;
    }

    private static void defect(String provider, Diagnostics diagnostics, ValuePath path, String what) {
        diagnostics.attributeError(
                path,
                "Provider defect at " + path,
                provider + " " + what + ". Terraform would reject this, so the provider stopped "
                        + "before changing anything. Please report this defect with the configuration that caused it.");
    }
}
