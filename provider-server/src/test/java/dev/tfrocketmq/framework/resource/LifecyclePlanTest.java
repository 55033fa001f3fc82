package dev.tfrocketmq.framework.resource;

import static dev.tfrocketmq.framework.resource.FakeResource.nullObject;
import static dev.tfrocketmq.framework.resource.FakeResource.num;
import static dev.tfrocketmq.framework.resource.FakeResource.object;
import static dev.tfrocketmq.framework.resource.FakeResource.str;
import static dev.tfrocketmq.framework.resource.FakeResource.tags;
import static dev.tfrocketmq.framework.resource.FakeResource.unknownNumber;
import static dev.tfrocketmq.framework.resource.FakeResource.unknownString;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.framework.diag.Diagnostic;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.diag.Severity;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LifecyclePlanTest {
    private static final byte[] PRIVATE = {1, 2, 3};
    private static final String PROVIDER = "terraform-provider-example";

    private final FakeResource resource = new FakeResource();
    private final Cancellation cancellation = new Cancellation();

    /** What Terraform proposes: the configuration, with computed attributes left null taken from the prior state. */
    private static Value proposed(Value config, Value prior) {
        Map<String, Value> out = new LinkedHashMap<>(config.attributes());
        if (!prior.isNull()) {
            for (Attribute a : FakeResource.BLOCK.attributes()) {
                if (a.computed() && config.attribute(a.name()).isNull()) {
                    out.put(a.name(), prior.attribute(a.name()));
                }
            }
        }
        return Value.object(FakeResource.TYPE, out);
    }

    private Lifecycle.PlanOutcome plan(Value prior, Value config) {
        return Lifecycle.plan(resource, prior, proposed(config, prior), config, PRIVATE, cancellation);
    }

    private static Value existing() {
        return object("name", str("a"), "size", num(8), "id", str("i-1"), "pid", num(42));
    }

    private static ValuePath path(String attribute) {
        return ValuePath.root().attribute(attribute);
    }

    @Test
    void createPlansComputedAttributesUnknownAndFillsTheDefault() {
        Lifecycle.PlanOutcome o = plan(nullObject(), object("name", str("a")));

        assertThat(o.diagnostics().all()).isEmpty();
        assertThat(o.planned())
                .isEqualTo(object("name", str("a"), "size", num(8), "id", unknownString(), "pid", unknownNumber()));
        assertThat(o.privateData()).isEqualTo(PRIVATE);
        assertThat(resource.calls).containsExactly("plan");
    }

    @Test
    void createNeverRequiresReplacement() {
        Lifecycle.PlanOutcome o = plan(nullObject(), object("name", str("a")));

        assertThat(o.requiresReplace()).isEmpty();
    }

    @Test
    void createTellsTheResourceThatItIsCreating() {
        boolean[] creating = {false};
        resource.onPlan = (request, response) -> creating[0] = request.creating();

        plan(nullObject(), object("name", str("a")));

        assertThat(creating[0]).isTrue();
    }

    @Test
    void aConfiguredSizeWinsOverTheDefault() {
        Lifecycle.PlanOutcome o = plan(nullObject(), object("name", str("a"), "size", num(16)));

        assertThat(o.planned().attribute("size")).isEqualTo(num(16));
        assertThat(o.diagnostics().all()).isEmpty();
    }

    @Test
    void changingTheNameRequiresReplacement() {
        Lifecycle.PlanOutcome o = plan(existing(), object("name", str("b")));

        assertThat(o.diagnostics().all()).isEmpty();
        assertThat(o.requiresReplace()).containsExactly(path("name"));
        assertThat(o.planned().attribute("name")).isEqualTo(str("b"));
    }

    @Test
    void anUnchangedPlanKeepsComputedValuesKnownAndEqualToThePrior() {
        Lifecycle.PlanOutcome o = plan(existing(), object("name", str("a")));

        assertThat(o.diagnostics().all()).isEmpty();
        assertThat(o.planned()).isEqualTo(existing());
        assertThat(o.planned().attribute("id")).isEqualTo(str("i-1"));
        assertThat(o.planned().attribute("pid")).isEqualTo(num(42));
        assertThat(o.requiresReplace()).isEmpty();
    }

    @Test
    void changingTheNotePlansPidUnknownButKeepsTheIdFromTheState() {
        Lifecycle.PlanOutcome o = plan(existing(), object("name", str("a"), "note", str("hello")));

        assertThat(o.diagnostics().all()).isEmpty();
        assertThat(o.planned())
                .isEqualTo(object(
                        "name",
                        str("a"),
                        "size",
                        num(8),
                        "note",
                        str("hello"),
                        "id",
                        str("i-1"),
                        "pid",
                        unknownNumber()));
        assertThat(o.requiresReplace()).isEmpty();
    }

    @Test
    void changingATagBlockAlsoPlansPidUnknown() {
        Lifecycle.PlanOutcome o = plan(existing(), object("name", str("a"), "tag", tags("k1")));

        assertThat(o.diagnostics().all()).isEmpty();
        assertThat(o.planned().attribute("tag")).isEqualTo(tags("k1"));
        assertThat(o.planned().attribute("pid").isUnknown()).isTrue();
        assertThat(o.planned().attribute("id")).isEqualTo(str("i-1"));
    }

    @Test
    void aConfiguredUnknownStaysUnknownInThePlan() {
        Lifecycle.PlanOutcome o = plan(nullObject(), object("name", str("a"), "note", unknownString()));

        assertThat(o.diagnostics().all()).isEmpty();
        assertThat(o.planned().attribute("note").isUnknown()).isTrue();
    }

    @Test
    void anUnknownNameOnUpdateRequiresReplacement() {
        Lifecycle.PlanOutcome o = plan(existing(), object("name", unknownString()));

        assertThat(o.diagnostics().all()).isEmpty();
        assertThat(o.planned().attribute("name").isUnknown()).isTrue();
        assertThat(o.requiresReplace()).containsExactly(path("name"));
    }

    @Test
    void destroyPlansNullWithoutAskingTheResource() {
        Lifecycle.PlanOutcome o =
                Lifecycle.plan(resource, existing(), nullObject(), nullObject(), PRIVATE, cancellation);

        assertThat(o.planned().isNull()).isTrue();
        assertThat(o.requiresReplace()).isEmpty();
        assertThat(o.diagnostics().all()).isEmpty();
        assertThat(resource.calls).isEmpty();
    }

    @Test
    void aModifyPlanThatOverridesAConfiguredAttributeIsCaughtAsADefect() {
        resource.onPlan = (request, response) -> response.setAttribute("note", str("invented"));

        Lifecycle.PlanOutcome o = plan(nullObject(), object("name", str("a")));

        assertThat(o.diagnostics().hasErrors()).isTrue();
        assertThat(o.diagnostics().all()).extracting(Diagnostic::path).contains(path("note"));
    }

    @Test
    void aModifyPlanThatResolvesAConfiguredUnknownIsCaughtAsADefect() {
        resource.onPlan = (request, response) -> response.setAttribute("note", str("guessed"));

        Lifecycle.PlanOutcome o = plan(nullObject(), object("name", str("a"), "note", unknownString()));

        assertThat(o.diagnostics().all()).extracting(Diagnostic::path).containsExactly(path("note"));
    }

    @Test
    void aModifyPlanMaySetAComputedAttributeTheConfigurationLeavesNull() {
        resource.onPlan = (request, response) -> response.setAttribute("pid", num(7));

        Lifecycle.PlanOutcome o = plan(nullObject(), object("name", str("a")));

        assertThat(o.diagnostics().all()).isEmpty();
        assertThat(o.planned().attribute("pid")).isEqualTo(num(7));
    }

    @Test
    void aModifyPlanThatAddsATagBlockIsReportedAsACountMismatch() {
        resource.onPlan = (request, response) -> response.setAttribute("tag", tags("k1", "extra"));

        Lifecycle.PlanOutcome o = plan(nullObject(), object("name", str("a"), "tag", tags("k1")));

        assertThat(o.diagnostics().all()).hasSize(1);
        Diagnostic d = o.diagnostics().all().get(0);
        assertThat(d.severity()).isEqualTo(Severity.ERROR);
        assertThat(d.path()).isEqualTo(path("tag"));
        assertThat(d.detail()).contains("number of blocks");
    }

    @Test
    void requiresReplaceRequestedByTheResourceIsReported() {
        resource.onPlan = (request, response) -> response.requireReplace(path("note"));

        Lifecycle.PlanOutcome o = plan(existing(), object("name", str("a"), "note", str("x")));

        assertThat(o.requiresReplace()).containsExactly(path("note"));
    }

    @Test
    void anExceptionFromModifyPlanBecomesAnErrorDiagnostic() {
        resource.onPlan = (request, response) -> {
            throw new IllegalStateException("boom");
        };

        Lifecycle.PlanOutcome o = plan(nullObject(), object("name", str("a")));

        assertThat(o.diagnostics().hasErrors()).isTrue();
        assertThat(o.diagnostics().all().get(0).summary()).contains("planning rocketmq_fake");
        assertThat(o.diagnostics().all().get(0).detail()).contains("IllegalStateException: boom");
    }

    @Test
    void defectsNameTheProviderThatTheResourceTypeBelongsTo() {
        assertThat(Lifecycle.providerOf(resource)).isEqualTo("terraform-provider-rocketmq");
        Diagnostics d = new Diagnostics();
        Value config = object("name", str("a"));

        PlanRules.checkPlan(
                PROVIDER,
                FakeResource.BLOCK,
                ValuePath.root(),
                config,
                null,
                config.withAttribute("name", str("b")),
                d);

        assertThat(d.all().get(0).detail()).startsWith(PROVIDER + " planned").doesNotContain("rocketmq");
    }

    @Test
    void checkPlanAcceptsAPlanThatKeepsThePriorValueOfAConfiguredComputedAttribute() {
        Diagnostics d = new Diagnostics();
        Value prior = existing();
        Value config = object("name", str("a"), "size", num(9));

        PlanRules.checkPlan(PROVIDER, FakeResource.BLOCK, ValuePath.root(), config, prior, prior, d);

        assertThat(d.all()).isEmpty();
    }

    @Test
    void checkPlanRejectsARequiredAttributePlannedDifferentlyFromTheConfiguration() {
        Diagnostics d = new Diagnostics();
        Value config = object("name", str("a"));

        PlanRules.checkPlan(
                PROVIDER,
                FakeResource.BLOCK,
                ValuePath.root(),
                config,
                null,
                config.withAttribute("name", str("other")),
                d);

        assertThat(d.all()).extracting(Diagnostic::path).containsExactly(path("name"));
        assertThat(d.all().get(0).detail()).contains("\"other\"").contains("\"a\"");
    }

    @Test
    void checkPlanRejectsANullTagListWhereTheConfigurationHasBlocks() {
        Diagnostics d = new Diagnostics();
        Value config = object("name", str("a"), "tag", tags("k1"));
        Value planned = config.withAttribute(
                "tag",
                Value.nullOf(FakeResource.BLOCK.block("tag").orElseThrow().type()));

        PlanRules.checkPlan(PROVIDER, FakeResource.BLOCK, ValuePath.root(), config, null, planned, d);

        assertThat(d.all()).extracting(Diagnostic::path).containsExactly(path("tag"));
    }

    @Test
    void checkPlanLooksInsideTagBlocks() {
        Diagnostics d = new Diagnostics();
        Value config = object("name", str("a"), "tag", tags("k1"));
        Value planned = config.withAttribute("tag", tags("k2"));

        PlanRules.checkPlan(PROVIDER, FakeResource.BLOCK, ValuePath.root(), config, null, planned, d);

        assertThat(d.all())
                .extracting(Diagnostic::path)
                .containsExactly(path("tag").index(0).attribute("key"));
    }

    @Test
    void theResourceSeesThePriorPrivateDataAndMayPlanItsOwn() {
        byte[][] seen = new byte[1][];
        resource.onPlan = (request, response) -> {
            seen[0] = request.priorPrivate();
            response.setPrivateData(new byte[] {9});
        };
        Lifecycle.PlanOutcome o = plan(existing(), object("name", str("a")));

        assertThat(seen[0]).isEqualTo(PRIVATE);
        assertThat(o.privateData()).isEqualTo(new byte[] {9});
    }
}
