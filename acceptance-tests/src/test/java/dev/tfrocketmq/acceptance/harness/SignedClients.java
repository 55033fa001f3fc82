package dev.tfrocketmq.acceptance.harness;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.SessionCredentialsProvider;
import org.apache.rocketmq.client.apis.StaticSessionCredentialsProvider;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.remoting.RPCHook;

/**
 * Clients that sign in as a user (or as nobody): RocketMQ's remoting clients against the brokers, and
 * rocketmq-client-java 5.x against a proxy. A refused call comes back as the exception it raised.
 */
public final class SignedClients {
    private static final int SEND_TIMEOUT_MILLIS = 10_000;

    /** A user name and password; null for a client that does not sign. */
    public record User(String name, String password) {
        @Override
        public String toString() {
            return "User[" + name + "]";
        }
    }

    private SignedClients() {}

    private static RPCHook hook(User user) {
        return user == null ? null : new AclClientRPCHook(new SessionCredentials(user.name(), user.password()));
    }

    /** Sends one message through the brokers' remoting protocol; returns the failure, or null when it was stored. */
    public static Exception trySend(String nameServers, String topic, User user) {
        String run = UUID.randomUUID().toString();
        DefaultMQProducer producer = new DefaultMQProducer("acc-producer-" + run, hook(user));
        producer.setNamesrvAddr(nameServers);
        producer.setInstanceName("acc-producer-" + run);
        producer.setSendMsgTimeout(SEND_TIMEOUT_MILLIS);
        producer.setRetryTimesWhenSendFailed(0);
        try {
            producer.start();
            SendResult result =
                    producer.send(new Message(topic, "acc", ("signed-" + run).getBytes(StandardCharsets.UTF_8)));
            return result.getSendStatus() == SendStatus.SEND_OK
                    ? null
                    : new IllegalStateException("not stored: " + result);
        } catch (Exception e) {
            return e;
        } finally {
            producer.shutdown();
        }
    }

    /** Sends {@code count} messages through the brokers and returns their bodies; fails unless every one is stored. */
    public static List<String> send(String nameServers, String topic, User user, int count) {
        String run = UUID.randomUUID().toString();
        DefaultMQProducer producer = new DefaultMQProducer("acc-producer-" + run, hook(user));
        producer.setNamesrvAddr(nameServers);
        producer.setInstanceName("acc-producer-" + run);
        producer.setSendMsgTimeout(SEND_TIMEOUT_MILLIS);
        List<String> bodies = new ArrayList<>();
        try {
            producer.start();
            for (int i = 0; i < count; i++) {
                String body = "acc-" + run + "-" + i;
                SendResult r = producer.send(new Message(topic, "acc", body.getBytes(StandardCharsets.UTF_8)));
                if (r.getSendStatus() != SendStatus.SEND_OK) {
                    throw new AssertionError("message " + i + " to " + topic + " was not stored: " + r);
                }
                bodies.add(body);
            }
            return bodies;
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("sending to " + topic + " as " + user + " failed after " + bodies.size(), e);
        } finally {
            producer.shutdown();
        }
    }

    /** Reads the topic as {@code user} with consumer group {@code group} until every expected body has arrived. */
    public static Set<String> receive(
            String nameServers, String topic, String group, User user, Set<String> expected, Duration timeout) {
        String run = UUID.randomUUID().toString();
        DefaultLitePullConsumer consumer = new DefaultLitePullConsumer(group, hook(user));
        consumer.setNamesrvAddr(nameServers);
        consumer.setInstanceName("acc-consumer-" + run);
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        Set<String> received = new HashSet<>();
        try {
            consumer.subscribe(topic, "*");
            consumer.start();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!received.containsAll(expected) && System.nanoTime() - deadline < 0) {
                for (MessageExt m : consumer.poll(1_000)) {
                    String body = new String(m.getBody(), StandardCharsets.UTF_8);
                    if (expected.contains(body)) {
                        received.add(body);
                    }
                }
            }
            return received;
        } catch (Exception e) {
            throw new AssertionError("consuming " + topic + " with group " + group + " as " + user + " failed", e);
        } finally {
            consumer.shutdown();
        }
    }

    private static ClientConfiguration grpc(String endpoint, User user) {
        var b = ClientConfiguration.newBuilder()
                .setEndpoints(endpoint)
                .enableSsl(false)
                .setRequestTimeout(Duration.ofSeconds(10));
        if (user != null) {
            SessionCredentialsProvider credentials = new StaticSessionCredentialsProvider(user.name(), user.password());
            b.setCredentialProvider(credentials);
        }
        return b.build();
    }

    /**
     * Sends {@code count} messages through a proxy with rocketmq-client-java 5.x; returns the bodies, or throws what
     * the client raised (a refused start or send).
     */
    public static List<String> sendThroughProxy(String endpoint, String topic, User user, int count) throws Exception {
        ClientServiceProvider provider = ClientServiceProvider.loadService();
        String run = UUID.randomUUID().toString();
        List<String> bodies = new ArrayList<>();
        try (Producer producer = provider.newProducerBuilder()
                .setClientConfiguration(grpc(endpoint, user))
                .setTopics(topic)
                .build()) {
            for (int i = 0; i < count; i++) {
                String body = "grpc-" + run + "-" + i;
                producer.send(provider.newMessageBuilder()
                        .setTopic(topic)
                        .setTag("acc")
                        .setBody(body.getBytes(StandardCharsets.UTF_8))
                        .build());
                bodies.add(body);
            }
        }
        return bodies;
    }

    /**
     * A round trip through proxies with rocketmq-client-java 5.x: a simple consumer of {@code group} starts first (a
     * new group's queues start at their end, so it polls each broker once before anything is sent), then a producer
     * sends {@code count} messages through {@code producerEndpoint}; returns what the consumer received and
     * acknowledged within the timeout, and the bodies sent.
     */
    public static RoundTrip roundTripThroughProxy(
            String producerEndpoint,
            String consumerEndpoint,
            String topic,
            String group,
            User user,
            int count,
            Duration timeout)
            throws Exception {
        ClientServiceProvider provider = ClientServiceProvider.loadService();
        Set<String> received = new HashSet<>();
        try (SimpleConsumer consumer = provider.newSimpleConsumerBuilder()
                .setClientConfiguration(grpc(consumerEndpoint, user))
                .setConsumerGroup(group)
                // the proxy refuses long polls shorter than its minimum (5 s by default) without waiting
                .setAwaitDuration(Duration.ofSeconds(6))
                .setSubscriptionExpressions(Map.of(topic, FilterExpression.SUB_ALL))
                .build()) {
            for (int i = 0; i < 2; i++) {
                for (MessageView m : consumer.receive(16, Duration.ofSeconds(30))) {
                    consumer.ack(m);
                }
            }
            List<String> sent = sendThroughProxy(producerEndpoint, topic, user, count);
            Set<String> expected = Set.copyOf(sent);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!received.containsAll(expected) && System.nanoTime() - deadline < 0) {
                for (MessageView m : consumer.receive(16, Duration.ofSeconds(30))) {
                    byte[] body = new byte[m.getBody().remaining()];
                    m.getBody().get(body);
                    String text = new String(body, StandardCharsets.UTF_8);
                    if (expected.contains(text)) {
                        received.add(text);
                    }
                    consumer.ack(m);
                }
            }
            return new RoundTrip(sent, received);
        }
    }

    /** What a round trip sent and what came back. */
    public record RoundTrip(List<String> sent, Set<String> received) {}
}
