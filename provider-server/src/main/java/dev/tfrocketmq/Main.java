package dev.tfrocketmq;

import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.protocol.PluginServer;
import dev.tfrocketmq.framework.protocol.ProviderService;
import dev.tfrocketmq.provider.RocketMqProvider;
import java.io.PrintStream;

/** Starts the provider's gRPC server on the socket the launcher names; nothing else. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        String socket = null;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--socket")) {
                socket = args[i + 1];
            }
        }
        if (socket == null) {
            System.err.println(
                    "usage: Main --socket <unix socket path> (this program is started by terraform-provider-rocketmq)");
            System.exit(2);
        }
        RuntimeSettings.apply();
        PrintStream stdout = System.out;
        // Libraries must never write to stdout: the launcher reads it for the ready line only.
        System.setOut(System.err);
        RocketMqProvider provider = new RocketMqProvider();
        PluginServer server = PluginServer.start(socket, new ProviderService(provider));
        server.announce(stdout);
        Log.named("server").debug("serving", "socket", socket);
        server.awaitLauncherExit(System.in);
        provider.close();
        // RocketMQ client threads are not daemons; leave without waiting for them.
        System.exit(0);
    }
}
