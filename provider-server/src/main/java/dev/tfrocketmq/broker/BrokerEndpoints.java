package dev.tfrocketmq.broker;

import dev.tfrocketmq.framework.resource.PlanResponse;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.process.ProcessKind;
import java.util.List;

/**
 * A broker binds listen_port-2 (fast channel), listen_port and listen_port+1 (HA), and registers {@code broker_ip1},
 * which defaults to the host's address rather than an auto-detected interface.
 */
final class BrokerEndpoints implements ProcessKind.Endpoints, ProcessKind.PlanDefaults {
    @Override
    public List<Integer> ports(Value planned) {
        int port = planned.attribute("listen_port").asInt();
        return List.of(port - 2, port, port + 1);
    }

    @Override
    public String address(Value planned, String hostAddress) {
        Value ip = planned.attribute("broker_ip1");
        Value port = planned.attribute("listen_port");
        return ip.isKnown() && !ip.isNull() ? ip.asString() + ":" + port.asInt() : null;
    }

    @Override
    public void fill(Value config, PlanResponse response, String hostAddress) {
        if (config.attribute("broker_ip1").isNull() && hostAddress != null) {
            response.setAttribute("broker_ip1", Value.string(hostAddress));
        }
    }
}
