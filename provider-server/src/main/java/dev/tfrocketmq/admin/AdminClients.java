package dev.tfrocketmq.admin;

import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.log.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * One started admin client per name-server set and credentials, shared by every resource in this provider process
 * and shut down at exit. Clients start lazily: planning never needs a live cluster.
 *
 * <p>A pool is keyed by everything that authorises its clients: a view made with {@link #as} hands out only clients
 * started with exactly its credentials (or with none), so a session never rides on credentials it did not present.
 */
public final class AdminClients implements AutoCloseable {
    private static final Log LOG = Log.named("admin");
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final long TIMEOUT_MILLIS = 5_000;
    private static final String ANONYMOUS = "anonymous";

    private final Map<String, DefaultMQAdminExt> clients;
    private final Map<String, Long> lastUsed;
    private final Optional<AdminCredentials> credentials;

    public AdminClients() {
        this(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), Optional.empty());
    }

    private AdminClients(
            Map<String, DefaultMQAdminExt> clients,
            Map<String, Long> lastUsed,
            Optional<AdminCredentials> credentials) {
        this.clients = clients;
        this.lastUsed = lastUsed;
        this.credentials = credentials;
    }

    /** The same pool, handing out clients that sign with {@code credentials} (none: unsigned clients). */
    public AdminClients as(Optional<AdminCredentials> credentials) {
        return new AdminClients(clients, lastUsed, credentials);
    }

    /** The credentials this view's clients sign with. */
    public Optional<AdminCredentials> credentials() {
        return credentials;
    }

    /** An admin client for these name servers (order does not matter), signing with this view's credentials. */
    public DefaultMQAdminExt forNameServers(List<String> nameServers) {
        if (nameServers.isEmpty()) {
            throw new OperatorException(
                    "No name servers",
                    "Set name_servers on the resource or in the provider block (for example [\"10.0.0.5:9876\"]).");
        }
        String addresses =
                String.join(";", nameServers.stream().sorted().distinct().toList());
        String key = credentials.map(AdminCredentials::fingerprint).orElse(ANONYMOUS) + "|" + addresses;
        lastUsed.put(key, System.nanoTime());
        return clients.computeIfAbsent(key, k -> start(addresses));
    }

    /**
     * Shuts down the clients not asked for in {@code idle} (in the background: a shutdown may block on Netty); a
     * later call starts a new one. Returns how many it shut down.
     */
    public int closeIdle(Duration idle) {
        List<DefaultMQAdminExt> idleClients = new ArrayList<>();
        long now = System.nanoTime();
        lastUsed.forEach((key, used) -> {
            if (now - used > idle.toNanos() && lastUsed.remove(key, used)) {
                DefaultMQAdminExt client = clients.remove(key);
                if (client != null) {
                    idleClients.add(client);
                }
            }
        });
        if (!idleClients.isEmpty()) {
            shutDownInBackground(idleClients);
        }
        return idleClients.size();
    }

    private static Thread shutDownInBackground(List<DefaultMQAdminExt> toClose) {
        Thread closer = new Thread(
                () -> toClose.forEach(a -> {
                    try {
                        a.shutdown();
                    } catch (RuntimeException e) {
                        LOG.debug("admin client shutdown failed", "error", e.toString());
                    }
                }),
                "admin-shutdown");
        closer.setDaemon(true);
        closer.start();
        return closer;
    }

    private DefaultMQAdminExt start(String nameServerAddr) {
        DefaultMQAdminExt admin = credentials
                .map(c -> new DefaultMQAdminExt(c.rpcHook(), TIMEOUT_MILLIS))
                .orElseGet(() -> new DefaultMQAdminExt(TIMEOUT_MILLIS));
        admin.setNamesrvAddr(nameServerAddr);
        admin.setInstanceName(
                "terraform-provider-rocketmq-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet());
        admin.setVipChannelEnabled(false);
        try {
            long started = System.nanoTime();
            admin.start();
            LOG.debug(
                    "admin client started",
                    "name_servers",
                    nameServerAddr,
                    "access_key",
                    credentials.map(AdminCredentials::accessKey).orElse("(none)"),
                    "millis",
                    (System.nanoTime() - started) / 1_000_000);
        } catch (MQClientException e) {
            throw new OperatorException(
                    "Cannot start a RocketMQ admin client",
                    "Starting the admin client for name servers " + nameServerAddr + " failed: " + e.getErrorMessage(),
                    e);
        }
        return admin;
    }

    @Override
    public void close() {
        // shutdown() can block for seconds on Netty joins; run it off the caller's thread and don't wait long.
        Thread closer = shutDownInBackground(new ArrayList<>(clients.values()));
        try {
            closer.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clients.clear();
        lastUsed.clear();
    }
}
