package dev.tfrocketmq.acceptance.harness;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;

/** Sends and receives test messages with the plain RocketMQ clients, each call with its own group. */
public final class Messages {
    private static final int SEND_TIMEOUT_MILLIS = 10_000;
    private static final long POLL_MILLIS = 1_000;

    private Messages() {}

    /** Sends {@code count} messages with unique bodies and returns the bodies; fails unless every send is SEND_OK. */
    public static List<String> send(String nameServer, String topic, int count) {
        String run = UUID.randomUUID().toString();
        DefaultMQProducer producer = new DefaultMQProducer("acc-producer-" + run);
        producer.setNamesrvAddr(nameServer);
        producer.setInstanceName("acc-producer-" + run);
        producer.setSendMsgTimeout(SEND_TIMEOUT_MILLIS);
        List<String> bodies = new ArrayList<>();
        try {
            producer.start();
            for (int i = 0; i < count; i++) {
                String body = "acc-" + run + "-" + i;
                SendResult result = producer.send(new Message(topic, "acc", body.getBytes(StandardCharsets.UTF_8)));
                if (result.getSendStatus() != SendStatus.SEND_OK) {
                    throw new AssertionError("message " + i + " to " + topic + " was not stored: " + result);
                }
                bodies.add(body);
            }
            return bodies;
        } catch (MQClientException e) {
            throw new IllegalStateException("cannot start a producer for " + nameServer, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to " + topic, e);
        } catch (Exception e) {
            throw new AssertionError("sending to " + topic + " failed after " + bodies.size() + " messages", e);
        } finally {
            producer.shutdown();
        }
    }

    /**
     * Reads the topic from its first offset with a new consumer group until every expected body has arrived or the
     * timeout passes, and returns the expected bodies that arrived.
     */
    public static Set<String> receive(String nameServer, String topic, Collection<String> expected, Duration timeout) {
        String run = UUID.randomUUID().toString();
        DefaultLitePullConsumer consumer = new DefaultLitePullConsumer("acc-consumer-" + run);
        consumer.setNamesrvAddr(nameServer);
        consumer.setInstanceName("acc-consumer-" + run);
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        Set<String> wanted = Set.copyOf(expected);
        Set<String> received = new HashSet<>();
        try {
            consumer.subscribe(topic, "*");
            consumer.start();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!received.containsAll(wanted) && System.nanoTime() - deadline < 0) {
                for (MessageExt message : consumer.poll(POLL_MILLIS)) {
                    String body = new String(message.getBody(), StandardCharsets.UTF_8);
                    if (wanted.contains(body)) {
                        received.add(body);
                    }
                }
            }
            return received;
        } catch (MQClientException e) {
            throw new IllegalStateException("cannot start a consumer of " + topic + " at " + nameServer, e);
        } finally {
            consumer.shutdown();
        }
    }

    /**
     * Like {@link #receive}, with a push consumer, whose pull request RocketMQ 4.x brokers understand too (the lite
     * pull consumer of a 5.x client uses a request 4.x does not know).
     */
    public static Set<String> receivePushed(
            String nameServer, String topic, Collection<String> expected, Duration timeout) {
        String run = UUID.randomUUID().toString();
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer("acc-push-" + run);
        consumer.setNamesrvAddr(nameServer);
        consumer.setInstanceName("acc-push-" + run);
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        Set<String> wanted = Set.copyOf(expected);
        Set<String> received = ConcurrentHashMap.newKeySet();
        try {
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener((MessageListenerConcurrently) (messages, context) -> {
                for (MessageExt message : messages) {
                    String body = new String(message.getBody(), StandardCharsets.UTF_8);
                    if (wanted.contains(body)) {
                        received.add(body);
                    }
                }
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
            consumer.start();
            Await.until(
                    received.size() + " of " + wanted.size() + " messages of " + topic,
                    timeout,
                    () -> received.containsAll(wanted));
        } catch (MQClientException e) {
            throw new IllegalStateException("cannot start a consumer of " + topic + " at " + nameServer, e);
        } catch (AssertionError | RuntimeException timedOut) {
            // what arrived is the answer; the caller's assertion names what is missing
        } finally {
            consumer.shutdown();
        }
        return Set.copyOf(received);
    }
}
