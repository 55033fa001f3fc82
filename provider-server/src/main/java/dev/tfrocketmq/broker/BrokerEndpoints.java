package dev.tfrocketmq.broker;

import dev.tfrocketmq.framework.resource.PlanResponse;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.process.ProcessKind;
import java.util.ArrayList;
import java.util.List;

/**
 * A broker binds listen_port-2 (fast channel), listen_port and listen_port+1 (HA, or {@code haListenPort} where 5.x
 * is given one), and registers {@code broker_ip1}, which defaults to the host's address rather than an auto-detected
 * interface; {@code broker_ip2}, the address a master gives its slaves for replication, defaults to
 * {@code broker_ip1}.
 */
final class BrokerEndpoints implements ProcessKind.Endpoints, ProcessKind.PlanDefaults {
    @Override
    public List<ProcessKind.Port> ports(Value planned) {
        int port = planned.attribute("listen_port").asInt();
        List<ProcessKind.Port> ports = new ArrayList<>(List.of(
                new ProcessKind.Port(port - 2, "fast channel (listen_port-2)"),
                new ProcessKind.Port(port, "listen_port"),
                new ProcessKind.Port(port + 1, "HA port (listen_port+1)")));
        Value props = planned.attribute("properties");
        if (props.isKnown() && !props.isNull()) {
            Value ha = props.entries().get("haListenPort");
            if (ha != null && ha.isKnown() && ha.asString().matches("[1-9][0-9]{0,4}")) {
                int haPort = Integer.parseInt(ha.asString());
                if (haPort != port + 1 && haPort <= 65535) {
                    ports.add(new ProcessKind.Port(haPort, "HA port (haListenPort)"));
                }
            }
        }
        return ports;
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
        if (config.attribute("broker_ip2").isNull()) {
            response.setAttribute("broker_ip2", response.attribute("broker_ip1"));
        }
    }
}
