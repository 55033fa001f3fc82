package dev.tfrocketmq.framework.resource;

import static dev.tfrocketmq.framework.resource.FakeResource.num;
import static dev.tfrocketmq.framework.resource.FakeResource.object;
import static dev.tfrocketmq.framework.resource.FakeResource.str;
import static dev.tfrocketmq.framework.resource.FakeResource.unknownNumber;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.value.Value;
import org.junit.jupiter.api.Test;

class LifecycleReadTest {
    private static final byte[] PRIVATE = {4, 2};
    private static final Value CURRENT = object("name", str("a"), "size", num(8), "id", str("i-1"), "pid", num(42));

    private final FakeResource resource = new FakeResource();

    private Lifecycle.StateOutcome read() {
        return Lifecycle.read(resource, CURRENT, PRIVATE, new Cancellation());
    }

    @Test
    void aReadThatChangesNothingReturnsTheCurrentState() {
        Lifecycle.StateOutcome o = read();

        assertThat(o.diagnostics().all()).isEmpty();
        assertThat(o.state()).isEqualTo(CURRENT);
        assertThat(o.privateData()).isEqualTo(PRIVATE);
    }

    @Test
    void aReadThatFindsDriftReturnsTheRemoteValue() {
        resource.onRead = (request, response) -> response.setAttribute("pid", num(77));

        Lifecycle.StateOutcome o = read();

        assertThat(o.state()).isEqualTo(CURRENT.withAttribute("pid", num(77)));
    }

    @Test
    void aResourceMarkedGoneReadsAsANullState() {
        resource.onRead = (request, response) -> response.markGone();

        Lifecycle.StateOutcome o = read();

        assertThat(o.diagnostics().all()).isEmpty();
        assertThat(o.state().isNull()).isTrue();
        assertThat(o.state().type()).isEqualTo(FakeResource.TYPE);
    }

    @Test
    void aReadThatThrowsKeepsThePriorStateWithAnError() {
        OperatorException e = new OperatorException("Cannot reach the name server", "10.0.0.5:9876 timed out");
        resource.onRead = (request, response) -> {
            response.markGone();
            throw e;
        };

        Lifecycle.StateOutcome o = read();

        assertThat(o.state()).isEqualTo(CURRENT);
        assertThat(o.privateData()).isEqualTo(PRIVATE);
        assertThat(o.diagnostics().all()).containsExactly(e.toDiagnostic());
    }

    @Test
    void aReadThatReturnsAnUnknownIsAnErrorAndKeepsThePriorState() {
        resource.onRead = (request, response) -> response.setAttribute("pid", unknownNumber());

        Lifecycle.StateOutcome o = read();

        assertThat(o.diagnostics().hasErrors()).isTrue();
        assertThat(o.state()).isEqualTo(CURRENT);
    }
}
