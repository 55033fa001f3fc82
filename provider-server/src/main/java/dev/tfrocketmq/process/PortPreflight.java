package dev.tfrocketmq.process;

import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.host.Host;
import dev.tfrocketmq.runtime.Ports;
import java.time.Duration;
import java.util.List;

/** Before a start: every port the process will bind is free, so a conflict is named rather than logged by RocketMQ. */
final class PortPreflight {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private PortPreflight() {}

    static void requireFree(Host host, String hostAddress, List<Integer> ports, String kind, String home) {
        for (int port : ports) {
            if (Ports.isListening(hostAddress, port, PROBE_TIMEOUT)) {
                throw new OperatorException(
                        "Port " + port + " on " + host.name() + " is already in use",
                        "The " + kind + " in " + home + " needs ports " + ports + ", but " + hostAddress + ":" + port
                                + " already accepts connections from another process. Stop that process or "
                                + "choose another listen_port.");
            }
        }
    }
}
