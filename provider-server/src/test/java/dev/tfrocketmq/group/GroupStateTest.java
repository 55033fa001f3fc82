package dev.tfrocketmq.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tfrocketmq.context.ProviderContext;
import dev.tfrocketmq.context.SharedServices;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.framework.resource.Requests;
import dev.tfrocketmq.framework.resource.StateResponse;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.host.UserEnvironment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class GroupStateTest {
    @TempDir
    Path cache;

    @Test
    void anImportedGroupCarriesRocketMqsDefaultsUntilItIsRead() {
        Value imported = imported("10.0.0.5:9876,10.0.0.6:9876/DefaultCluster/orders-consumer");

        assertThat(imported.attribute("id")).isEqualTo(Value.string("DefaultCluster/orders-consumer"));
        assertThat(imported.attribute("name_servers"))
                .isEqualTo(Value.list(
                        TfType.STRING, List.of(Value.string("10.0.0.5:9876"), Value.string("10.0.0.6:9876"))));
        assertThat(GroupState.of(imported))
                .isEqualTo(new GroupState(1, 16, true, true, true, 0, 1, true, 15, null, List.of()));
        assertThat(GroupState.of(imported).sameSettings(GroupState.from(new SubscriptionGroupConfig(), List.of())))
                .as("the schema's defaults are RocketMQ's own")
                .isTrue();
    }

    @Test
    void aPlanIsMergedIntoWhatTheBrokerHasKeepingWhatTheProviderDoesNotManage() {
        Value planned = imported("DefaultCluster/orders-consumer")
                .withAttribute(GroupState.RETRY_MAX_TIMES, Value.number(3))
                .withAttribute(GroupState.CONSUME_BROADCAST_ENABLE, Value.bool(false))
                .withAttribute(GroupState.WHICH_BROKER_WHEN_CONSUME_SLOWLY, Value.number(2));
        SubscriptionGroupConfig onBroker = new SubscriptionGroupConfig();
        onBroker.setGroupSysFlag(7);
        onBroker.setAttributes(Map.of("+key", "value"));
        onBroker.setConsumeMessageOrderly(true);

        SubscriptionGroupConfig written = GroupState.of(planned).mergeInto(onBroker, "orders-consumer");

        assertThat(written.getGroupName()).isEqualTo("orders-consumer");
        assertThat(written.getRetryMaxTimes()).isEqualTo(3);
        assertThat(written.isConsumeBroadcastEnable()).isFalse();
        assertThat(written.getWhichBrokerWhenConsumeSlowly()).isEqualTo(2);
        assertThat(written.getGroupSysFlag()).as("unmanaged flag kept").isEqualTo(7);
        assertThat(written.getAttributes()).as("unmanaged attributes kept").containsEntry("+key", "value");
        assertThat(written.isConsumeMessageOrderly())
                .as("orderly left as the broker has it when not declared")
                .isTrue();
    }

    @Test
    void whatABrokerHoldsMapsBackToTheDeclaredAttributes() {
        Value declared = imported("DefaultCluster/g")
                .withAttribute(GroupState.RETRY_QUEUE_NUMS, Value.number(2))
                .withAttribute(GroupState.CONSUME_MESSAGE_ORDERLY, Value.bool(true));
        SubscriptionGroupConfig onBroker = GroupState.of(declared).mergeInto(new SubscriptionGroupConfig(), "g");

        Value read = GroupState.from(onBroker, List.of("broker-a", "broker-b")).settingsOn(declared);

        assertThat(read)
                .isEqualTo(declared.withAttribute(
                        GroupState.BROKER_NAMES,
                        Value.list(TfType.STRING, List.of(Value.string("broker-a"), Value.string("broker-b")))));
    }

    @Test
    void anUntrackedOrderlySettingIsNeitherReportedNorADifference() {
        Value declared = imported("DefaultCluster/g");
        SubscriptionGroupConfig onBroker = new SubscriptionGroupConfig();
        onBroker.setConsumeMessageOrderly(true);
        GroupState read = GroupState.from(onBroker, List.of("broker-a"));

        assertThat(read.settingsOn(declared)
                        .attribute(GroupState.CONSUME_MESSAGE_ORDERLY)
                        .isNull())
                .isTrue();
        assertThat(GroupState.of(declared).sameSettings(read)).isTrue();
        SubscriptionGroupConfig other = new SubscriptionGroupConfig();
        other.setRetryMaxTimes(5);
        assertThat(GroupState.of(declared).sameSettings(GroupState.from(other, List.of())))
                .isFalse();
    }

    @Test
    void aMalformedImportIdSaysWhatItExpects() {
        ConsumerGroupResource resource = new ConsumerGroupResource(context());
        StateResponse response =
                new StateResponse(Value.nullOf(resource.schema().block().type()), new byte[0]);

        assertThatThrownBy(() -> resource.importState(new Requests.Import("orders", new Cancellation()), response))
                .isInstanceOf(OperatorException.class)
                .hasMessageContaining("<cluster_name>/<name>")
                .satisfies(e -> assertThat(((OperatorException) e).summary()).contains("Invalid import ID"));
    }

    private Value imported(String id) {
        ConsumerGroupResource resource = new ConsumerGroupResource(context());
        StateResponse response =
                new StateResponse(Value.nullOf(resource.schema().block().type()), new byte[0]);
        resource.importState(new Requests.Import(id, new Cancellation()), response);
        return response.state();
    }

    private ProviderContext context() {
        return new ProviderContext(SharedServices.create(cache), new UserEnvironment(cache, cache, Map.of()));
    }
}
