package dev.tfrocketmq.proxy;

import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.process.AuthSettings;
import dev.tfrocketmq.process.ProcessKind;
import dev.tfrocketmq.process.StartedProcess;
import dev.tfrocketmq.runtime.Ports;
import java.time.Duration;
import java.util.Optional;

/**
 * A proxy is ready when it listens on its gRPC port and answers a RocketMQ 5 client call ({@link ProxyProbe}) after
 * looking the topic up in the name servers. With authentication on, the call is signed with the credentials the
 * readiness check is given, and a refusal of those is an error of its own.
 */
final class ProxyReadiness implements ProcessKind.Readiness {
    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public void await(StartedProcess process, Cancellation cancellation) {
        String host = process.host().address();
        int port = process.port();
        String address = host + ":" + port;
        try {
            Ports.awaitListening(host, port, LISTEN_TIMEOUT, () -> process.isRunning() && !cancellation.isCancelled());
        } catch (RuntimeException e) {
            throw new OperatorException(
                    "Proxy did not start",
                    "On " + process.host().name() + ", the proxy in " + process.home() + " did not listen on " + address
                            + " within 120 s (" + e.getMessage() + "). Check that its ports are free and that the "
                            + "distribution is RocketMQ 5. Last lines of its console log:\n" + process.logTail(),
                    e);
        }
        boolean signed = AuthSettings.authentication(process.planned());
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        String last = "no answer";
        while (true) {
            try {
                ProxyProbe.Answer answer = ProxyProbe.queryRoute(
                        host, port, signed ? process.admin().credentials() : Optional.empty(), 5_000);
                if (answer.serves()) {
                    return;
                }
                if (answer.refusedCredentials()) {
                    throw new OperatorException(
                            "Proxy refused the provider's credentials",
                            "The proxy at " + address + " answers but refused the signed readiness call: "
                                    + answer.code() + " " + answer.message() + ". Check that the brokers of cluster "
                                    + process.planned()
                                            .attribute("cluster_name")
                                            .asString()
                                    + " run with authentication_enabled and the same provider credentials.");
                }
                last = answer.code() + " " + answer.message();
            } catch (OperatorException e) {
                throw e;
            } catch (RuntimeException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() > deadline || cancellation.sleep(Duration.ofMillis(500))) {
                throw new OperatorException(
                        "Proxy does not serve clients",
                        "The proxy at " + address + " listens but did not answer a RocketMQ 5 client call within 60 s "
                                + "(last: " + last + "). Check that name_servers are reachable from the proxy host and "
                                + "that a broker of the cluster is registered. Last lines of its console log:\n"
                                + process.logTail());
            }
        }
    }
}
