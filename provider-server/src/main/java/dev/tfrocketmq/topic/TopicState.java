package dev.tfrocketmq.topic;

import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import java.util.List;

/**
 * What a topic is on the brokers: the part of TopicConfig this provider manages, and (when read) the cluster's
 * masters that carry it, sorted. The one place where these values meet their attributes: the resource, its import
 * and the data source all map through here.
 */
record TopicState(
        int readQueueNums, int writeQueueNums, int perm, boolean order, String messageType, List<String> brokerNames) {
    static final String READ_QUEUE_NUMS = "read_queue_nums";
    static final String WRITE_QUEUE_NUMS = "write_queue_nums";
    static final String PERM = "perm";
    static final String ORDER = "order";
    static final String MESSAGE_TYPE = "message_type";
    static final String BROKER_NAMES = "broker_names";

    /** A desired state to write; where it lands is decided by the cluster's masters. */
    static TopicState desired(int readQueueNums, int writeQueueNums, int perm, boolean order, String messageType) {
        return new TopicState(readQueueNums, writeQueueNums, perm, order, messageType, List.of());
    }

    /** The state a plan (or state) declares. */
    static TopicState of(Value values) {
        Value type = values.attribute(MESSAGE_TYPE);
        return desired(
                values.attribute(READ_QUEUE_NUMS).asInt(),
                values.attribute(WRITE_QUEUE_NUMS).asInt(),
                values.attribute(PERM).asInt(),
                values.attribute(ORDER).asBool(),
                type.isNull() ? null : type.asString());
    }

    /** {@code target} with the queue numbers, permission and order of this state. */
    Value settingsOn(Value target) {
        return target.withAttribute(READ_QUEUE_NUMS, Value.number(readQueueNums))
                .withAttribute(WRITE_QUEUE_NUMS, Value.number(writeQueueNums))
                .withAttribute(PERM, Value.number(perm))
                .withAttribute(ORDER, Value.bool(order));
    }

    /** The message type as an attribute: null when the broker reports none. */
    Value messageTypeValue() {
        return messageType == null ? Value.nullOf(TfType.STRING) : Value.string(messageType);
    }

    /** The brokers carrying the topic as an attribute. */
    Value brokerNamesValue() {
        return Value.list(TfType.STRING, brokerNames.stream().map(Value::string).toList());
    }
}
