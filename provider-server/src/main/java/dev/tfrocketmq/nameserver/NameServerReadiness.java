package dev.tfrocketmq.nameserver;

import dev.tfrocketmq.admin.AdminErrors;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.host.Host;
import dev.tfrocketmq.process.ProcessKind;
import dev.tfrocketmq.process.StartedProcess;
import dev.tfrocketmq.runtime.Ports;
import java.time.Duration;
import java.util.List;

/** A name server is ready when it listens and answers a configuration request. */
final class NameServerReadiness implements ProcessKind.Readiness {
    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public void await(StartedProcess process, Cancellation cancellation) {
        Host host = process.host();
        int port = process.port();
        String address = host.address() + ":" + port;
        try {
            Ports.awaitListening(
                    host.address(), port, LISTEN_TIMEOUT, () -> process.isRunning() && !cancellation.isCancelled());
        } catch (RuntimeException e) {
            throw new OperatorException(
                    "Name server did not start",
                    "On " + host.name() + ", the name server in " + process.home() + " did not listen on port " + port
                            + " within 60 s (" + e.getMessage() + "). Check that the port is free and the Java home "
                            + "is 17 or newer.\n" + process.logTail(),
                    e);
        }
        try {
            process.admin().forNameServers(List.of(address)).getNameServerConfig(List.of(address));
        } catch (Exception e) {
            throw new OperatorException(
                    "Name server does not answer",
                    "The name server at " + address + " accepts connections but did not answer a configuration "
                            + "request: " + AdminErrors.describe(e) + ".\n"
                            + process.logTail(),
                    e);
        }
    }
}
