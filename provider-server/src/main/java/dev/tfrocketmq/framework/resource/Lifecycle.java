package dev.tfrocketmq.framework.resource;

import dev.tfrocketmq.framework.diag.Diagnostic;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.NestedBlock;
import dev.tfrocketmq.framework.schema.NestingMode;
import dev.tfrocketmq.framework.schema.Validator;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Drives one resource through validate, plan, apply, read and import, enforcing {@link PlanRules} around the
 * resource's own code. Protocol handlers call this and only convert values in and out.
 */
public final class Lifecycle {
    private Lifecycle() {}

    public record PlanOutcome(
            Value planned, Set<ValuePath> requiresReplace, byte[] privateData, Diagnostics diagnostics) {}

    public record StateOutcome(Value state, byte[] privateData, Diagnostics diagnostics) {}

    /** Per-attribute validators, then the resource's own cross-attribute checks. */
    public static Diagnostics validate(Block block, Value config, Runnable custom, Diagnostics diagnostics) {
        validateBlock(block, ValuePath.root(), config, diagnostics);
        if (!diagnostics.hasErrors()) {
            guard(diagnostics, "validating the configuration", () -> {
                custom.run();
                return null;
            });
        }
        return diagnostics;
    }

    /**
     * {@link #validate} for a managed resource: a configuration that sets a write-only attribute is refused when the
     * client did not announce that it handles them (older clients would store the value in plan and state).
     */
    public static Diagnostics validateResource(
            Block block, Value config, boolean writeOnlyAllowed, Runnable custom, Diagnostics diagnostics) {
        if (!writeOnlyAllowed) {
            refuseWriteOnly(block, ValuePath.root(), config, diagnostics);
        }
        return validate(block, config, custom, diagnostics);
    }

    private static void refuseWriteOnly(Block block, ValuePath at, Value config, Diagnostics diagnostics) {
        if (config.isNull() || config.isUnknown()) {
            return;
        }
        for (Attribute a : block.attributes()) {
            if (a.writeOnly() && !config.attribute(a.name()).isNull()) {
                diagnostics.attributeError(
                        at.attribute(a.name()),
                        "Write-only attribute needs a newer client",
                        a.name() + " is write-only: it is sent to the provider but never kept in plan or state. "
                                + "This Terraform client did not announce support for write-only attributes "
                                + "(Terraform 1.11 or newer does). Upgrade the client, or leave " + a.name()
                                + " unset.");
            }
        }
        for (NestedBlock nb : block.blocks()) {
            Value v = config.attribute(nb.typeName());
            if (v.isNull() || v.isUnknown()) {
                continue;
            }
            ValuePath path = at.attribute(nb.typeName());
            switch (nb.nesting()) {
                case SINGLE, GROUP -> refuseWriteOnly(nb.block(), path, v, diagnostics);
                case LIST, SET -> {
                    for (int i = 0; i < v.elements().size(); i++) {
                        refuseWriteOnly(
                                nb.block(),
                                nb.nesting() == NestingMode.LIST ? path.index(i) : path,
                                v.elements().get(i),
                                diagnostics);
                    }
                }
                case MAP -> v.entries().forEach((k, e) -> refuseWriteOnly(nb.block(), path.key(k), e, diagnostics));
            }
        }
    }

    private static void validateBlock(Block block, ValuePath at, Value config, Diagnostics diagnostics) {
        if (config.isNull() || config.isUnknown()) {
            return;
        }
        for (Attribute a : block.attributes()) {
            Value v = config.attribute(a.name());
            if (v.isNull() || v.isUnknown()) {
                continue;
            }
            for (Validator validator : a.validators()) {
                if (a.sensitive() || a.writeOnly()) {
                    hidingValue(validator, at.attribute(a.name()), v, diagnostics);
                } else {
                    validator.validate(at.attribute(a.name()), v, diagnostics);
                }
            }
        }
        for (NestedBlock nb : block.blocks()) {
            Value v = config.attribute(nb.typeName());
            ValuePath path = at.attribute(nb.typeName());
            if (v.isNull() || v.isUnknown()) {
                continue;
            }
            switch (nb.nesting()) {
                case SINGLE, GROUP -> validateBlock(nb.block(), path, v, diagnostics);
                case LIST, SET -> {
                    for (int i = 0; i < v.elements().size(); i++) {
                        validateBlock(
                                nb.block(),
                                nb.nesting() == NestingMode.LIST ? path.index(i) : path,
                                v.elements().get(i),
                                diagnostics);
                    }
                }
                case MAP -> v.entries().forEach((k, e) -> validateBlock(nb.block(), path.key(k), e, diagnostics));
            }
        }
    }

    /** Runs a validator on a secret: its messages never carry the value (or any part of it longer than 3 chars). */
    private static void hidingValue(Validator validator, ValuePath path, Value value, Diagnostics diagnostics) {
        Diagnostics found = new Diagnostics();
        validator.validate(path, value, found);
        String secret = value.type().equals(TfType.STRING) ? value.asString() : value.toString();
        for (Diagnostic d : found.all()) {
            diagnostics.add(
                    new Diagnostic(d.severity(), hide(d.summary(), secret), hide(d.detail(), secret), d.path()));
        }
    }

    private static String hide(String text, String secret) {
        if (secret.length() < 4) {
            return text.replace('"' + secret + '"', "(sensitive value)");
        }
        String out = text;
        String head = secret.length() > 80 ? secret.substring(0, 80) : secret;
        out = out.replace(secret, "(sensitive value)").replace(head, "(sensitive value)");
        return out;
    }

    /**
     * The provider a resource belongs to, as users know its plugin: Terraform names a resource type after its
     * provider ({@code <provider>_<type>}) and the plugin {@code terraform-provider-<provider>}.
     */
    static String providerOf(Resource resource) {
        String type = resource.typeName();
        int underscore = type.indexOf('_');
        return "terraform-provider-" + (underscore > 0 ? type.substring(0, underscore) : type);
    }

    /** PlanResourceChange. {@code prior} and {@code proposed} are null values for create and destroy. */
    public static PlanOutcome plan(
            Resource resource,
            Value prior,
            Value proposed,
            Value config,
            byte[] priorPrivate,
            Cancellation cancellation) {
        Diagnostics diagnostics = new Diagnostics();
        if (proposed.isNull()) {
            return new PlanOutcome(proposed, Set.of(), priorPrivate, diagnostics);
        }
        Block block = resource.schema().block();
        Value priorOrNull = prior.isNull() ? null : prior;
        Value planned = PlanRules.basePlan(block, config, priorOrNull, proposed);
        if (priorOrNull != null && !planned.equals(priorOrNull)) {
            planned = PlanRules.markComputedUnknown(block, config, planned);
        }
        Set<ValuePath> replace = new LinkedHashSet<>();
        planned = PlanRules.applyModifiers(block, config, priorOrNull, planned, replace, false);
        PlanResponse response = new PlanResponse(planned);
        guard(response.diagnostics(), "planning " + resource.typeName(), () -> {
            resource.modifyPlan(new Requests.Plan(config, priorOrNull, priorPrivate, cancellation), response);
            return null;
        });
        diagnostics.addAll(response.diagnostics());
        planned = response.planned();
        planned = PlanRules.applyModifiers(block, config, priorOrNull, planned, replace, true);
        replace.addAll(response.requiresReplace());
        if (priorOrNull == null) {
            replace.clear();
        }
        PlanRules.checkPlan(providerOf(resource), block, ValuePath.root(), config, priorOrNull, planned, diagnostics);
        byte[] plannedPrivate = response.privateData() == null ? priorPrivate : response.privateData();
        return new PlanOutcome(planned, Set.copyOf(replace), plannedPrivate, diagnostics);
    }

    /** ApplyResourceChange: create, update or delete, then check the result against the plan. */
    public static StateOutcome apply(
            Resource resource,
            Value prior,
            Value planned,
            Value config,
            byte[] plannedPrivate,
            Cancellation cancellation) {
        Block block = resource.schema().block();
        if (planned.isNull()) {
            Diagnostics diagnostics = new Diagnostics();
            guard(diagnostics, "deleting " + resource.typeName(), () -> {
                resource.delete(new Requests.Delete(prior, plannedPrivate, cancellation), diagnostics);
                return null;
            });
            return new StateOutcome(diagnostics.hasErrors() ? prior : planned, plannedPrivate, diagnostics);
        }
        StateResponse response = new StateResponse(planned, plannedPrivate);
        boolean creating = prior.isNull();
        guard(response.diagnostics(), (creating ? "creating " : "updating ") + resource.typeName(), () -> {
            if (creating) {
                resource.create(new Requests.Create(config, planned, cancellation), response);
            } else {
                resource.update(new Requests.Update(config, prior, planned, plannedPrivate, cancellation), response);
            }
            return null;
        });
        Diagnostics diagnostics = response.diagnostics();
        Value state = response.state();
        if (diagnostics.hasErrors()) {
            if (creating) {
                // Untouched plan: nothing was created. Otherwise keep what exists (Terraform marks it tainted).
                state = state == null || state == planned
                        ? Value.nullOf(block.type())
                        : PlanRules.resolveUnknowns(state, null);
            } else {
                // An error is never "gone", and an untouched plan was not applied: keep the prior state then.
                state = state == null || state == planned ? prior : PlanRules.resolveUnknowns(state, prior);
            }
            return new StateOutcome(state, response.privateData(), diagnostics);
        }
        if (state == null) {
            diagnostics.error(
                    "Provider returned no state after " + (creating ? "create" : "update"),
                    "This is a defect in " + providerOf(resource) + "; please report it.");
            return new StateOutcome(creating ? Value.nullOf(block.type()) : prior, response.privateData(), diagnostics);
        }
        state = PlanRules.withoutWriteOnly(block, state);
        PlanRules.checkApplied(providerOf(resource), block, planned, state, diagnostics);
        if (diagnostics.hasErrors()) {
            state = PlanRules.resolveUnknowns(state, null);
        }
        return new StateOutcome(state, response.privateData(), diagnostics);
    }

    /** ReadResource: the resource's view, or null when it is definitely gone. */
    public static StateOutcome read(Resource resource, Value current, byte[] privateData, Cancellation cancellation) {
        StateResponse response = new StateResponse(current, privateData);
        guard(response.diagnostics(), "reading " + resource.typeName(), () -> {
            resource.read(new Requests.Read(current, privateData, cancellation), response);
            return null;
        });
        Value state = response.state();
        if (response.diagnostics().hasErrors()) {
            // An error is never "gone": keep the prior state.
            return new StateOutcome(current, privateData, response.diagnostics());
        }
        if (state == null) {
            return new StateOutcome(
                    Value.nullOf(resource.schema().block().type()), response.privateData(), response.diagnostics());
        }
        if (!state.isWhollyKnown()) {
            response.diagnostics()
                    .error(
                            "Provider returned an incomplete state from read",
                            "This is a defect in " + providerOf(resource) + "; please report it.");
            return new StateOutcome(current, privateData, response.diagnostics());
        }
        return new StateOutcome(
                PlanRules.withoutWriteOnly(resource.schema().block(), state),
                response.privateData(),
                response.diagnostics());
    }

    /** Runs resource code, turning exceptions into diagnostics that keep their explanation. */
    public static <T> T guard(Diagnostics diagnostics, String doing, Supplier<T> body) {
        try {
            return body.get();
        } catch (OperatorException e) {
            diagnostics.add(e.toDiagnostic());
        } catch (RuntimeException e) {
            diagnostics.error(
                    "Unexpected error while " + doing,
                    describe(e)
                            + "\nNothing else was changed after this point. If the cause is not clear from this message, "
                            + "run again with TF_LOG=debug and report it.");
        }
        return null;
    }

    public static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        Throwable t = e;
        int depth = 0;
        while (t != null && depth++ < 6) {
            if (sb.length() > 0) {
                sb.append("\ncaused by: ");
            }
            sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
            t = t.getCause() == t ? null : t.getCause();
        }
        return sb.toString();
    }
}
