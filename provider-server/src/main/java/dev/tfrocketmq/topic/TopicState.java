package dev.tfrocketmq.topic;

/** What a topic is on the brokers: the part of TopicConfig this provider manages. */
record TopicState(int readQueueNums, int writeQueueNums, int perm, boolean order, String messageType) {}
