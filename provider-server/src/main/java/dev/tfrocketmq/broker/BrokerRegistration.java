package dev.tfrocketmq.broker;

import dev.tfrocketmq.admin.AdminErrors;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.process.ProcessKind;
import dev.tfrocketmq.process.StartedProcess;
import dev.tfrocketmq.runtime.Ports;
import dev.tfrocketmq.runtime.RocketMqVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * A broker is ready when it listens and every name server it lists has it registered under its name and id with the
 * declared address.
 */
final class BrokerRegistration implements ProcessKind.Readiness {
    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration REGISTER_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public void await(StartedProcess process, Cancellation cancellation) {
        Value planned = process.planned();
        int port = process.port();
        String ip = planned.attribute("broker_ip1").asString();
        String address = ip + ":" + port;
        String brokerName = planned.attribute("broker_name").asString();
        long brokerId = planned.attribute("broker_id").asLong();
        List<String> nameServers = planned.attribute("name_servers").elements().stream()
                .map(Value::asString)
                .toList();
        try {
            Ports.awaitListening(ip, port, LISTEN_TIMEOUT, () -> process.isRunning() && !cancellation.isCancelled());
        } catch (RuntimeException e) {
            throw new OperatorException(
                    "Broker did not start",
                    "On " + process.host().name() + ", broker " + brokerName + " (" + process.home()
                            + ") did not listen on " + address + " within 90 s (" + e.getMessage()
                            + "). Check that ports " + (port - 2) + "-" + (port + 1)
                            + " are free.\n" + process.logTail(),
                    e);
        }
        if (needsKick(planned)) {
            ConfigKick.send(process.admin(), planned, address, nameServers);
        }
        long deadline = System.nanoTime() + REGISTER_TIMEOUT.toNanos();
        List<String> missing = nameServers;
        String lastError = "";
        while (true) {
            List<String> stillMissing = new ArrayList<>();
            for (String ns : missing) {
                try {
                    if (!registered(process.admin().forNameServers(List.of(ns)), brokerName, brokerId, address)) {
                        stillMissing.add(ns);
                    }
                } catch (Exception e) {
                    lastError = ns + ": " + AdminErrors.describe(e);
                    stillMissing.add(ns);
                }
            }
            missing = stillMissing;
            if (missing.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline || cancellation.sleep(Duration.ofMillis(200))) {
                throw new OperatorException(
                        "Broker did not register with its name servers",
                        "Broker " + brokerName + " (id " + brokerId + ") listens on " + address
                                + " but is not registered with that address in " + String.join(", ", missing)
                                + " after 60 s" + (lastError.isEmpty() ? "" : " (last error: " + lastError + ")")
                                + ". Check that the name servers run and are reachable from the broker host, and that "
                                + "broker_ip1 is an address clients can reach.\n"
                                + process.logTail());
            }
        }
    }

    /** RocketMQ 5 may skip its first registration; 4.x registers with the plain name-server list and needs no kick. */
    private static boolean needsKick(Value planned) {
        Value version = planned.attribute("rocketmq_version");
        return !version.isKnown()
                || version.isNull()
                || RocketMqVersion.parse(version.asString())
                        .map(v -> v.major() >= 5)
                        .orElse(true);
    }

    private static boolean registered(DefaultMQAdminExt admin, String brokerName, long brokerId, String address)
            throws Exception {
        ClusterInfo info = admin.examineBrokerClusterInfo();
        BrokerData data = info.getBrokerAddrTable() == null
                ? null
                : info.getBrokerAddrTable().get(brokerName);
        return data != null && address.equals(data.getBrokerAddrs().get(brokerId));
    }
}
