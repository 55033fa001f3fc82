package dev.tfrocketmq.group;

import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import java.util.List;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;

/**
 * What a consumer group is on the brokers: the part of RocketMQ's subscription-group config this provider manages,
 * and (when read) the cluster's masters that carry it, sorted. The one place where these values meet their
 * attributes and RocketMQ's {@link SubscriptionGroupConfig}: the resource, its import and the data source all map
 * through here.
 *
 * @param consumeMessageOrderly null when not managed (left as the broker has it)
 */
record GroupState(
        int retryQueueNums,
        int retryMaxTimes,
        boolean consumeEnable,
        boolean consumeBroadcastEnable,
        boolean consumeFromMinEnable,
        long brokerId,
        long whichBrokerWhenConsumeSlowly,
        boolean notifyConsumerIdsChangedEnable,
        int consumeTimeoutMinute,
        Boolean consumeMessageOrderly,
        List<String> brokerNames) {
    static final String RETRY_QUEUE_NUMS = "retry_queue_nums";
    static final String RETRY_MAX_TIMES = "retry_max_times";
    static final String CONSUME_ENABLE = "consume_enable";
    static final String CONSUME_BROADCAST_ENABLE = "consume_broadcast_enable";
    static final String CONSUME_FROM_MIN_ENABLE = "consume_from_min_enable";
    static final String BROKER_ID = "broker_id";
    static final String WHICH_BROKER_WHEN_CONSUME_SLOWLY = "which_broker_when_consume_slowly";
    static final String NOTIFY_CONSUMER_IDS_CHANGED_ENABLE = "notify_consumer_ids_changed_enable";
    static final String CONSUME_TIMEOUT_MINUTE = "consume_timeout_minute";
    static final String CONSUME_MESSAGE_ORDERLY = "consume_message_orderly";
    static final String BROKER_NAMES = "broker_names";

    GroupState {
        brokerNames = List.copyOf(brokerNames);
    }

    /** The state a plan (or state) declares. */
    static GroupState of(Value values) {
        Value orderly = values.attribute(CONSUME_MESSAGE_ORDERLY);
        return new GroupState(
                values.attribute(RETRY_QUEUE_NUMS).asInt(),
                values.attribute(RETRY_MAX_TIMES).asInt(),
                values.attribute(CONSUME_ENABLE).asBool(),
                values.attribute(CONSUME_BROADCAST_ENABLE).asBool(),
                values.attribute(CONSUME_FROM_MIN_ENABLE).asBool(),
                values.attribute(BROKER_ID).asLong(),
                values.attribute(WHICH_BROKER_WHEN_CONSUME_SLOWLY).asLong(),
                values.attribute(NOTIFY_CONSUMER_IDS_CHANGED_ENABLE).asBool(),
                values.attribute(CONSUME_TIMEOUT_MINUTE).asInt(),
                orderly.isNull() ? null : orderly.asBool(),
                List.of());
    }

    /** What one broker holds. */
    static GroupState from(SubscriptionGroupConfig c, List<String> brokerNames) {
        return new GroupState(
                c.getRetryQueueNums(),
                c.getRetryMaxTimes(),
                c.isConsumeEnable(),
                c.isConsumeBroadcastEnable(),
                c.isConsumeFromMinEnable(),
                c.getBrokerId(),
                c.getWhichBrokerWhenConsumeSlowly(),
                c.isNotifyConsumerIdsChangedEnable(),
                c.getConsumeTimeoutMinute(),
                c.isConsumeMessageOrderly(),
                brokerNames);
    }

    /**
     * {@code config} (what the broker has, or a new config) with this state's managed settings; everything else the
     * broker keeps (subscriptions, retry policy, attributes, system flags) stays as it was.
     */
    SubscriptionGroupConfig mergeInto(SubscriptionGroupConfig config, String name) {
        config.setGroupName(name);
        config.setRetryQueueNums(retryQueueNums);
        config.setRetryMaxTimes(retryMaxTimes);
        config.setConsumeEnable(consumeEnable);
        config.setConsumeBroadcastEnable(consumeBroadcastEnable);
        config.setConsumeFromMinEnable(consumeFromMinEnable);
        config.setBrokerId(brokerId);
        config.setWhichBrokerWhenConsumeSlowly(whichBrokerWhenConsumeSlowly);
        config.setNotifyConsumerIdsChangedEnable(notifyConsumerIdsChangedEnable);
        config.setConsumeTimeoutMinute(consumeTimeoutMinute);
        if (consumeMessageOrderly != null) {
            config.setConsumeMessageOrderly(consumeMessageOrderly);
        }
        return config;
    }

    /** Whether {@code other} has the same managed settings (an unmanaged orderly setting matches anything). */
    boolean sameSettings(GroupState other) {
        return retryQueueNums == other.retryQueueNums
                && retryMaxTimes == other.retryMaxTimes
                && consumeEnable == other.consumeEnable
                && consumeBroadcastEnable == other.consumeBroadcastEnable
                && consumeFromMinEnable == other.consumeFromMinEnable
                && brokerId == other.brokerId
                && whichBrokerWhenConsumeSlowly == other.whichBrokerWhenConsumeSlowly
                && notifyConsumerIdsChangedEnable == other.notifyConsumerIdsChangedEnable
                && consumeTimeoutMinute == other.consumeTimeoutMinute
                && (consumeMessageOrderly == null
                        || other.consumeMessageOrderly == null
                        || consumeMessageOrderly.equals(other.consumeMessageOrderly));
    }

    /** {@code target} with this state's settings; the orderly setting only where {@code target} manages it. */
    Value settingsOn(Value target) {
        Value out = target.withAttribute(RETRY_QUEUE_NUMS, Value.number(retryQueueNums))
                .withAttribute(RETRY_MAX_TIMES, Value.number(retryMaxTimes))
                .withAttribute(CONSUME_ENABLE, Value.bool(consumeEnable))
                .withAttribute(CONSUME_BROADCAST_ENABLE, Value.bool(consumeBroadcastEnable))
                .withAttribute(CONSUME_FROM_MIN_ENABLE, Value.bool(consumeFromMinEnable))
                .withAttribute(BROKER_ID, Value.number(brokerId))
                .withAttribute(WHICH_BROKER_WHEN_CONSUME_SLOWLY, Value.number(whichBrokerWhenConsumeSlowly))
                .withAttribute(NOTIFY_CONSUMER_IDS_CHANGED_ENABLE, Value.bool(notifyConsumerIdsChangedEnable))
                .withAttribute(CONSUME_TIMEOUT_MINUTE, Value.number(consumeTimeoutMinute))
                .withAttribute(BROKER_NAMES, brokerNamesValue());
        if (!target.attribute(CONSUME_MESSAGE_ORDERLY).isNull() && consumeMessageOrderly != null) {
            out = out.withAttribute(CONSUME_MESSAGE_ORDERLY, Value.bool(consumeMessageOrderly));
        }
        return out;
    }

    /** The masters carrying the group as an attribute. */
    Value brokerNamesValue() {
        return Value.list(TfType.STRING, brokerNames.stream().map(Value::string).toList());
    }

    GroupState withBrokerNames(List<String> names) {
        return new GroupState(
                retryQueueNums,
                retryMaxTimes,
                consumeEnable,
                consumeBroadcastEnable,
                consumeFromMinEnable,
                brokerId,
                whichBrokerWhenConsumeSlowly,
                notifyConsumerIdsChangedEnable,
                consumeTimeoutMinute,
                consumeMessageOrderly,
                names);
    }
}
