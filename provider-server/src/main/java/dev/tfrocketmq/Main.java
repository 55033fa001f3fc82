package dev.tfrocketmq;

import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.protocol.ProviderService;
import dev.tfrocketmq.framework.server.BackendServer;
import dev.tfrocketmq.provider.RocketMqProvider;
import dev.tfrocketmq.provider.RocketMqProviders;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts the provider's backend on the socket the launcher names; nothing else.
 *
 * <pre>
 * Main --socket PATH --exit-with-stdin       serve the launcher that started it; stop when its stdin closes
 * Main --socket PATH --build DIGEST [--idle-timeout 1h] [--build-files DIR]
 *                                            a shared, warm backend: many launchers, stops when idle or when
 *                                            its build's files disappear
 * Main --write-schema FILE                   write the GetProviderSchema answer (the launcher's snapshot) and exit
 * </pre>
 */
public final class Main {
    public static final String READY_LINE = "TFROCKETMQ-READY";

    private Main() {}

    public static void main(String[] args) throws Exception {
        Arguments a = Arguments.parse(args);
        RuntimeSettings.apply();
        PrintStream stdout = System.out;
        // Libraries must never write to stdout: the launcher reads it for the ready line only.
        System.setOut(System.err);
        Log.configure(RocketMqProviders.NAME, System.err, System.getenv());
        if (a.writeSchema != null) {
            writeSchema(Path.of(a.writeSchema));
            System.exit(0);
        }
        RocketMqProviders providers = RocketMqProviders.forThisProcess();
        BackendServer backend = BackendServer.start(
                new BackendServer.Options(
                        Path.of(a.socket), a.build, a.idleTimeout, a.buildFiles, RocketMqProviders.PLUGIN),
                providers);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> backend.shutdown("signal"), "backend-signal"));
        stdout.println(READY_LINE);
        stdout.flush();
        Log log = Log.named("backend");
        log.info(
                "backend serving",
                "socket",
                a.socket,
                "pid",
                ProcessHandle.current().pid(),
                "idle_timeout",
                a.idleTimeout.map(Duration::toString).orElse("none"));
        if (a.exitWithStdin) {
            Thread watcher = new Thread(() -> awaitEof(System.in, backend), "launcher-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
        String reason = backend.awaitStopped();
        log.info("backend stopped", "reason", reason);
        providers.close();
        // RocketMQ client threads are not daemons; leave without waiting for them.
        System.exit(0);
    }

    private static void awaitEof(InputStream stdin, BackendServer backend) {
        byte[] buffer = new byte[256];
        try {
            while (stdin.read(buffer) >= 0) {
                // The launcher sends nothing; any bytes are ignored.
            }
        } catch (IOException e) {
            // a broken pipe means the same as end of file: the launcher is gone
        }
        backend.shutdown("the launcher exited");
    }

    private static void writeSchema(Path file) throws IOException {
        RocketMqProvider provider = new RocketMqProvider();
        try {
            Files.write(file, ProviderService.schemaResponse(provider).toByteArray());
        } finally {
            provider.close();
        }
    }

    private record Arguments(
            String socket,
            boolean exitWithStdin,
            String build,
            Optional<Duration> idleTimeout,
            List<Path> buildFiles,
            String writeSchema) {
        static Arguments parse(String[] args) {
            String socket = null;
            String build = "";
            String schema = null;
            boolean exitWithStdin = false;
            Optional<Duration> idle = Optional.empty();
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--exit-with-stdin")) {
                    exitWithStdin = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    usage("missing value after " + flag);
                }
                String value = args[++i];
                switch (flag) {
                    case "--socket" -> socket = value;
                    case "--build" -> build = value;
                    case "--idle-timeout" -> idle = Optional.of(Duration.parse("PT" + value.toUpperCase()));
                    case "--build-files" -> files.add(Path.of(value));
                    case "--write-schema" -> schema = value;
                    default -> usage("unknown argument " + flag);
                }
            }
            if (socket == null && schema == null) {
                usage("--socket is required");
            }
            if (socket != null && !exitWithStdin && idle.isEmpty() && files.isEmpty()) {
                usage("a backend without --exit-with-stdin needs --idle-timeout or --build-files to ever stop");
            }
            return new Arguments(socket, exitWithStdin, build, idle, files, schema);
        }

        private static void usage(String problem) {
            System.err.println(problem + "\nusage: Main --socket PATH (--exit-with-stdin | --build DIGEST"
                    + " [--idle-timeout 1h] [--build-files DIR]) | --write-schema FILE"
                    + " (this program is started by terraform-provider-rocketmq)");
            System.exit(2);
        }
    }
}
