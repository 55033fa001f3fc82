package dev.tfrocketmq.topic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.context.ProviderContext;
import dev.tfrocketmq.context.SharedServices;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.framework.resource.Requests;
import dev.tfrocketmq.framework.resource.StateResponse;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.host.UserEnvironment;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TopicStateTest {
    @TempDir
    Path cache;

    @Test
    void aPlanMapsToTheStateToWriteAndBackToTheSameAttributes() {
        TopicResource resource = new TopicResource(context());
        Value planned = imported(resource, "DefaultCluster/orders")
                .withAttribute(TopicState.READ_QUEUE_NUMS, Value.number(4))
                .withAttribute(TopicState.PERM, Value.number(4))
                .withAttribute(TopicState.MESSAGE_TYPE, Value.string("FIFO"));

        TopicState state = TopicState.of(planned);

        assertThat(state).isEqualTo(TopicState.desired(4, 8, 4, false, "FIFO"));
        Value blank = planned.withAttribute(TopicState.READ_QUEUE_NUMS, Value.number(1))
                .withAttribute(TopicState.PERM, Value.number(2));
        assertThat(state.settingsOn(blank)).isEqualTo(planned);
        assertThat(state.messageTypeValue()).isEqualTo(Value.string("FIFO"));
        assertThat(new TopicState(1, 1, 6, true, null, List.of("b")).messageTypeValue())
                .isEqualTo(Value.nullOf(TfType.STRING));
    }

    @Test
    void anImportedTopicStartsFromTheSchemasDefaultsUntilItIsRead() {
        TopicResource resource = new TopicResource(context());

        Value state = imported(resource, "10.0.0.5:9876/DefaultCluster/orders");

        resource.schema().block().attributes().stream()
                .filter(a -> a.defaultValue() != null && !a.name().equals("cluster_name"))
                .forEach(a -> assertThat(state.attribute(a.name())).as(a.name()).isEqualTo(a.defaultValue()));
        assertThat(state.attribute(TopicState.READ_QUEUE_NUMS)).isEqualTo(Value.number(8));
        assertThat(state.attribute("name_servers"))
                .isEqualTo(Value.list(TfType.STRING, List.of(Value.string("10.0.0.5:9876"))));
        assertThat(state.attribute(TopicState.MESSAGE_TYPE).isNull()).isTrue();
    }

    private ProviderContext context() {
        return new ProviderContext(SharedServices.create(cache), UserEnvironment.fromProcess());
    }

    private static Value imported(TopicResource resource, String id) {
        StateResponse response =
                new StateResponse(Value.nullOf(resource.schema().block().type()), new byte[0]);
        resource.importState(new Requests.Import(id, new Cancellation()), response);
        return response.state();
    }
}
