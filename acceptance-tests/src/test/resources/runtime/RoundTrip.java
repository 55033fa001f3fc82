import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Run with a distribution's own lib/ (sh bin/tools.sh RoundTrip.java NAMESERVER BROKER TOPIC): waits until the broker
 * is registered, creates the topic on it, sends one message and reads it back. Written against the client API that
 * RocketMQ 4.9.7 and 5.x share, so the same source compiles against either.
 */
public class RoundTrip {
    public static void main(String[] args) throws Exception {
        String nameServer = args[0];
        String broker = args[1];
        String topic = args[2];
        long deadline = System.currentTimeMillis() + 60_000;

        DefaultMQAdminExt admin = new DefaultMQAdminExt(5000);
        admin.setNamesrvAddr(nameServer);
        admin.setInstanceName("roundtrip-admin");
        admin.start();
        try {
            // Makes the broker register at once: a 5.x broker's first registration can miss a name server it has not
            // connected to yet, and its next one comes 10 s later.
            Properties kick = new Properties();
            kick.setProperty("brokerPermission", "6");
            admin.updateBrokerConfig(broker, kick);
            while (!registered(admin, broker)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("broker " + broker + " never appeared in the cluster list");
                }
                Thread.sleep(100);
            }
            System.out.println("registered " + broker);
            admin.createAndUpdateTopicConfig(broker, new TopicConfig(topic, 1, 1, 6));
            while (true) {
                try {
                    admin.examineTopicRouteInfo(topic);
                    break;
                } catch (Exception notYet) {
                    if (System.currentTimeMillis() > deadline) {
                        throw notYet;
                    }
                    Thread.sleep(100);
                }
            }
        } finally {
            admin.shutdown();
        }

        String body = "round trip " + System.nanoTime();
        DefaultMQProducer producer = new DefaultMQProducer("roundtrip-producer");
        producer.setNamesrvAddr(nameServer);
        producer.setInstanceName("roundtrip-producer");
        producer.start();
        try {
            System.out.println("sent "
                    + producer.send(new Message(topic, "tag", body.getBytes(StandardCharsets.UTF_8)))
                            .getSendStatus());
        } finally {
            producer.shutdown();
        }

        DefaultLitePullConsumer consumer = new DefaultLitePullConsumer("roundtrip-consumer");
        consumer.setNamesrvAddr(nameServer);
        consumer.setInstanceName("roundtrip-consumer");
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.subscribe(topic, "*");
        consumer.start();
        try {
            while (System.currentTimeMillis() < deadline) {
                for (MessageExt message : consumer.poll(1000)) {
                    String received = new String(message.getBody(), StandardCharsets.UTF_8);
                    if (received.equals(body)) {
                        System.out.println("received " + received);
                        return;
                    }
                }
            }
            throw new IllegalStateException("the message sent was not received back within 60 s");
        } finally {
            consumer.shutdown();
        }
    }

    private static boolean registered(DefaultMQAdminExt admin, String broker) throws Exception {
        var brokers = admin.examineBrokerClusterInfo().getBrokerAddrTable();
        for (var data : brokers.values()) {
            if (data.getBrokerAddrs().containsValue(broker)) {
                return true;
            }
        }
        return false;
    }
}
