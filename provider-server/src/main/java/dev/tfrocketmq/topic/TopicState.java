package dev.tfrocketmq.topic;

import java.util.List;

/**
 * What a topic is on the brokers: the part of TopicConfig this provider manages, and (when read) the cluster's
 * masters that carry it, sorted.
 */
record TopicState(
        int readQueueNums, int writeQueueNums, int perm, boolean order, String messageType, List<String> brokerNames) {
    /** A desired state to write; where it lands is decided by the cluster's masters. */
    static TopicState desired(int readQueueNums, int writeQueueNums, int perm, boolean order, String messageType) {
        return new TopicState(readQueueNums, writeQueueNums, perm, order, messageType, List.of());
    }
}
