package dev.tfrocketmq.framework.resource;

import static dev.tfrocketmq.framework.resource.FakeResource.nullNumber;
import static dev.tfrocketmq.framework.resource.FakeResource.nullObject;
import static dev.tfrocketmq.framework.resource.FakeResource.num;
import static dev.tfrocketmq.framework.resource.FakeResource.object;
import static dev.tfrocketmq.framework.resource.FakeResource.str;
import static dev.tfrocketmq.framework.resource.FakeResource.unknownNumber;
import static dev.tfrocketmq.framework.resource.FakeResource.unknownString;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.framework.diag.Diagnostic;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.diag.Severity;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import java.io.IOException;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class LifecycleApplyTest {
    private static final byte[] PRIVATE = {9};

    private final FakeResource resource = new FakeResource();
    private final Cancellation cancellation = new Cancellation();

    private static final Value CONFIG = object("name", str("a"));
    private static final Value CREATE_PLAN =
            object("name", str("a"), "size", num(8), "id", unknownString(), "pid", unknownNumber());
    private static final Value CREATED = object("name", str("a"), "size", num(8), "id", str("i-1"), "pid", num(42));

    private static final Value UPDATE_CONFIG = object("name", str("a"), "note", str("hello"));
    private static final Value UPDATE_PLAN =
            object("name", str("a"), "size", num(8), "note", str("hello"), "id", str("i-1"), "pid", unknownNumber());

    private Lifecycle.StateOutcome create() {
        return Lifecycle.apply(resource, nullObject(), CREATE_PLAN, CONFIG, PRIVATE, cancellation);
    }

    private Lifecycle.StateOutcome update() {
        return Lifecycle.apply(resource, CREATED, UPDATE_PLAN, UPDATE_CONFIG, PRIVATE, cancellation);
    }

    private Lifecycle.StateOutcome delete() {
        return Lifecycle.apply(resource, CREATED, nullObject(), nullObject(), PRIVATE, cancellation);
    }

    private static OperatorException refused() {
        return new OperatorException("Broker refused the request", "broker-a answered CODE 1: no permission");
    }

    @Test
    void aCreateThatFillsEveryUnknownReturnsItsState() {
        Lifecycle.StateOutcome o = create();

        assertThat(o.diagnostics().all()).isEmpty();
        assertThat(o.state()).isEqualTo(CREATED);
        assertThat(o.privateData()).isEqualTo(PRIVATE);
        assertThat(resource.calls).containsExactly("create");
    }

    @Test
    void aCreateSeesTheConfigurationAndThePlan() {
        Value[] seen = new Value[2];
        resource.onCreate = (request, response) -> {
            seen[0] = request.config();
            seen[1] = request.planned();
            response.setState(CREATED);
        };

        create();

        assertThat(seen).containsExactly(CONFIG, CREATE_PLAN);
    }

    @Test
    void aCreateThatLeavesAnUnknownIsAnError() {
        resource.onCreate = (request, response) -> response.setAttribute("id", str("i-1"));

        Lifecycle.StateOutcome o = create();

        assertThat(o.diagnostics().hasErrors()).isTrue();
        assertThat(o.diagnostics().all().get(0).detail()).contains("pid");
        assertThat(o.state().isWhollyKnown()).isTrue();
        assertThat(o.state().attribute("id")).isEqualTo(str("i-1"));
        assertThat(o.state().attribute("pid")).isEqualTo(nullNumber());
    }

    @Test
    void aCreateThatChangesAKnownPlannedValueIsAnErrorNamingTheAttribute() {
        resource.onCreate = (request, response) -> response.setState(CREATED.withAttribute("size", num(9)));

        Lifecycle.StateOutcome o = create();

        assertThat(o.diagnostics().all()).hasSize(1);
        Diagnostic d = o.diagnostics().all().get(0);
        assertThat(d.severity()).isEqualTo(Severity.ERROR);
        assertThat(d.path()).isEqualTo(ValuePath.root().attribute("size"));
        assertThat(d.summary()).contains("size");
        assertThat(d.detail()).contains("9").contains("8");
    }

    @Test
    void aCreateThatReturnsAnEquivalentNumberIsAccepted() {
        resource.onCreate = (request, response) ->
                response.setState(CREATED.withAttribute("size", Value.number(new BigDecimal("8.00"))));

        Lifecycle.StateOutcome o = create();

        assertThat(o.diagnostics().all()).isEmpty();
    }

    @Test
    void aCreateThatThrowsBeforeTouchingTheStateCreatesNothing() {
        OperatorException e = refused();
        resource.onCreate = (request, response) -> {
            throw e;
        };

        Lifecycle.StateOutcome o = create();

        assertThat(o.state().isNull()).isTrue();
        assertThat(o.state().type()).isEqualTo(FakeResource.TYPE);
        assertThat(o.diagnostics().all()).containsExactly(e.toDiagnostic());
    }

    @Test
    void aCreateThatFailsHalfwayKeepsWhatExistsWithUnknownsResolvedToNull() {
        resource.onCreate = (request, response) -> {
            response.setAttribute("id", str("i-1"));
            throw refused();
        };

        Lifecycle.StateOutcome o = create();

        assertThat(o.diagnostics().hasErrors()).isTrue();
        assertThat(o.state())
                .isEqualTo(CREATE_PLAN.withAttribute("id", str("i-1")).withAttribute("pid", nullNumber()));
    }

    @Test
    void aCreateThatReturnsNoStateIsAnError() {
        resource.onCreate = (request, response) -> response.markGone();

        Lifecycle.StateOutcome o = create();

        assertThat(o.diagnostics().hasErrors()).isTrue();
        assertThat(o.state().isNull()).isTrue();
    }

    @Test
    void anUnexpectedExceptionFromCreateKeepsItsExplanation() {
        resource.onCreate = (request, response) -> {
            throw new IllegalArgumentException("bad broker address", new IOException("refused"));
        };

        Lifecycle.StateOutcome o = create();

        Diagnostic d = o.diagnostics().all().get(0);
        assertThat(d.summary()).isEqualTo("Unexpected error while creating rocketmq_fake");
        assertThat(d.detail())
                .contains("IllegalArgumentException: bad broker address")
                .contains("caused by: IOException: refused");
        assertThat(o.state().isNull()).isTrue();
    }

    @Test
    void anUpdateThatFillsTheUnknownsReturnsItsState() {
        Lifecycle.StateOutcome o = update();

        assertThat(o.diagnostics().all()).isEmpty();
        assertThat(o.state()).isEqualTo(UPDATE_PLAN.withAttribute("pid", num(43)));
        assertThat(resource.calls).containsExactly("update");
    }

    @Test
    void anUpdateThatThrowsKeepsAnObjectWithThePriorComputedValues() {
        OperatorException e = refused();
        resource.onUpdate = (request, response) -> {
            throw e;
        };

        Lifecycle.StateOutcome o = update();

        assertThat(o.diagnostics().all()).containsExactly(e.toDiagnostic());
        assertThat(o.state().isNull()).isFalse();
        assertThat(o.state().isWhollyKnown()).isTrue();
        assertThat(o.state().attribute("id")).isEqualTo(CREATED.attribute("id"));
        assertThat(o.state().attribute("pid")).isEqualTo(CREATED.attribute("pid"));
        assertThat(o.state().attribute("name")).isEqualTo(CREATED.attribute("name"));
    }

    @Test
    void anUpdateThatReturnsNoStateIsAnErrorAndKeepsThePrior() {
        resource.onUpdate = (request, response) -> response.markGone();

        Lifecycle.StateOutcome o = update();

        assertThat(o.diagnostics().hasErrors()).isTrue();
        assertThat(o.state()).isEqualTo(CREATED);
    }

    @Test
    void aSuccessfulDeleteReturnsANullState() {
        Lifecycle.StateOutcome o = delete();

        assertThat(o.diagnostics().all()).isEmpty();
        assertThat(o.state().isNull()).isTrue();
        assertThat(resource.calls).containsExactly("delete");
    }

    @Test
    void aDeleteThatReportsAnErrorKeepsThePriorState() {
        resource.onDelete = (request, diagnostics) -> diagnostics.error("Topic still in use", "consumers attached");

        Lifecycle.StateOutcome o = delete();

        assertThat(o.diagnostics().hasErrors()).isTrue();
        assertThat(o.state()).isEqualTo(CREATED);
    }

    @Test
    void aDeleteThatThrowsKeepsThePriorState() {
        OperatorException e = refused();
        resource.onDelete = (request, diagnostics) -> {
            throw e;
        };

        Lifecycle.StateOutcome o = delete();

        assertThat(o.diagnostics().all()).containsExactly(e.toDiagnostic());
        assertThat(o.state()).isEqualTo(CREATED);
    }

    @Test
    void aDeleteThatOnlyWarnsStillReturnsANullState() {
        resource.onDelete = (request, diagnostics) -> diagnostics.warning("Already gone", "nothing to delete");

        Lifecycle.StateOutcome o = delete();

        assertThat(o.diagnostics().hasErrors()).isFalse();
        assertThat(o.diagnostics().all()).hasSize(1);
        assertThat(o.state().isNull()).isTrue();
    }
}
