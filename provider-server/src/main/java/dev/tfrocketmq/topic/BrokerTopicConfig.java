package dev.tfrocketmq.topic;

import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.body.TopicConfigSerializeWrapper;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * One topic's config as a broker holds it. RocketMQ 5 answers the request for one topic; 4.x does not know it
 * ("request type 351 not supported") and is asked for its whole topic table instead, as {@code mqadmin} of that
 * generation does.
 */
final class BrokerTopicConfig {
    private static final long TABLE_TIMEOUT_MILLIS = 5_000;

    private BrokerTopicConfig() {}

    /** The topic's config on the broker at {@code address}, or null when that broker (4.x) has no such topic. */
    static TopicConfig read(DefaultMQAdminExt admin, String address, String topic) throws Exception {
        try {
            return admin.examineTopicConfig(address, topic);
        } catch (MQBrokerException e) {
            if (e.getResponseCode() != ResponseCode.REQUEST_CODE_NOT_SUPPORTED) {
                throw e;
            }
        }
        TopicConfigSerializeWrapper table = admin.getAllTopicConfig(address, TABLE_TIMEOUT_MILLIS);
        return table == null || table.getTopicConfigTable() == null
                ? null
                : table.getTopicConfigTable().get(topic);
    }
}
