import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;

/** Sends one message through a topic and receives it back: java -cp 'lib/*' RoundTrip.java <name-server> <topic>. */
public final class RoundTrip {
    public static void main(String[] args) throws Exception {
        String nameServer = args[0];
        String topic = args[1];
        String token = "hello from terraform-provider-rocketmq " + UUID.randomUUID();
        String group = "quickstart_" + UUID.randomUUID().toString().substring(0, 8);
        DefaultMQProducer producer = new DefaultMQProducer(group);
        producer.setNamesrvAddr(nameServer);
        producer.start();
        SendResult sent = producer.send(new Message(topic, "quickstart", token.getBytes(StandardCharsets.UTF_8)));
        producer.shutdown();
        if (sent.getSendStatus() != SendStatus.SEND_OK) {
            fail("send returned " + sent.getSendStatus());
        }
        System.out.println("sent     " + sent.getMsgId() + " to " + sent.getMessageQueue());
        DefaultLitePullConsumer consumer = new DefaultLitePullConsumer(group);
        consumer.setNamesrvAddr(nameServer);
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.subscribe(topic, "quickstart");
        consumer.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<MessageExt> batch = consumer.poll(1000);
            for (MessageExt m : batch) {
                if (new String(m.getBody(), StandardCharsets.UTF_8).equals(token)) {
                    System.out.println("received " + m.getMsgId() + ": \"" + token + "\"");
                    System.out.println("round trip OK through topic " + topic + " at " + nameServer);
                    System.exit(0);
                }
            }
        }
        fail("the message did not come back within 60 s");
    }

    private static void fail(String why) {
        System.err.println("round trip FAILED: " + why);
        System.exit(1);
    }
}
