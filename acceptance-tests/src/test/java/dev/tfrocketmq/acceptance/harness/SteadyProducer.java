package dev.tfrocketmq.acceptance.harness;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;

/**
 * A producer that sends one message after another to a topic on its own thread, as an application would during
 * maintenance, and records the outcome of each send: acknowledged ({@code SEND_OK}: stored on the master and, for a
 * SYNC_MASTER, on its slave), stored but not replicated (another status), or failed (an exception).
 */
public final class SteadyProducer implements AutoCloseable {
    /** One send: when, its body, and its outcome (a send status or the exception's class). */
    public record Send(Instant at, String body, String outcome, String broker) {
        public boolean acknowledged() {
            return outcome.equals(SendStatus.SEND_OK.name());
        }
    }

    private final DefaultMQProducer producer;
    private final String topic;
    private final Duration pause;
    private final List<Send> sends = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private SteadyProducer(String nameServers, String topic, Duration pause) {
        String run = UUID.randomUUID().toString();
        this.producer = new DefaultMQProducer("acc-steady-" + run);
        producer.setNamesrvAddr(nameServers);
        producer.setInstanceName("acc-steady-" + run);
        producer.setSendMsgTimeout(3_000);
        this.topic = topic;
        this.pause = pause;
        this.thread = new Thread(this::loop, "steady-producer");
        thread.setDaemon(true);
    }

    /** Starts sending to {@code topic} with {@code pause} between sends. */
    public static SteadyProducer start(String nameServers, String topic, Duration pause) {
        SteadyProducer p = new SteadyProducer(nameServers, topic, pause);
        try {
            p.producer.start();
        } catch (MQClientException e) {
            throw new IllegalStateException("cannot start a producer for " + nameServers, e);
        }
        p.thread.start();
        return p;
    }

    private void loop() {
        long n = 0;
        String prefix = "steady-" + UUID.randomUUID() + "-";
        while (running) {
            String body = prefix + n++;
            Instant at = Instant.now();
            String outcome;
            String broker = "";
            try {
                SendResult result = producer.send(new Message(topic, "steady", body.getBytes(StandardCharsets.UTF_8)));
                outcome = result.getSendStatus().name();
                broker = result.getMessageQueue() == null
                        ? ""
                        : result.getMessageQueue().getBrokerName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                outcome = e.getClass().getSimpleName();
            }
            synchronized (sends) {
                sends.add(new Send(at, body, outcome, broker));
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Every send so far. */
    public List<Send> sends() {
        synchronized (sends) {
            return List.copyOf(sends);
        }
    }

    /** The bodies of the acknowledged sends. */
    public List<String> acknowledged() {
        return sends().stream().filter(Send::acknowledged).map(Send::body).toList();
    }

    /** How many sends ended how. */
    public Map<String, Integer> outcomes() {
        Map<String, Integer> counts = new TreeMap<>();
        sends().forEach(s -> counts.merge(s.outcome(), 1, Integer::sum));
        return counts;
    }

    /** Stops sending and waits for the last send to finish. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.shutdown();
    }
}
