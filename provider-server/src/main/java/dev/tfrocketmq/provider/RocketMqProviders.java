package dev.tfrocketmq.provider;

import dev.tfrocketmq.context.SharedServices;
import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.resource.Provider;
import dev.tfrocketmq.framework.server.ProviderFactory;
import dev.tfrocketmq.framework.server.SessionEnvironment;
import dev.tfrocketmq.host.UserEnvironment;
import dev.tfrocketmq.process.KnownKeys;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/** One {@link RocketMqProvider} per Terraform session, all over one set of {@link SharedServices}. */
public final class RocketMqProviders implements ProviderFactory {
    private static final Log LOG = Log.named("backend");
    public static final String NAME = "rocketmq";
    public static final String PLUGIN = "terraform-provider-rocketmq";

    /** How long an SSH connection or admin client may sit unused before it is closed (they reopen on use). */
    static final Duration CONNECTION_IDLE = Duration.ofMinutes(10);

    private final SharedServices shared;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "idle-connections");
        t.setDaemon(true);
        return t;
    });

    public RocketMqProviders(SharedServices shared) {
        this.shared = shared;
        sweeper.scheduleWithFixedDelay(this::closeIdleConnections, 1, 1, TimeUnit.MINUTES);
    }

    /** Connections outlive sessions, so that the next command reuses them, but not forever. */
    void closeIdleConnections() {
        int ssh = shared.sshHosts().closeIdle(CONNECTION_IDLE);
        int admin = shared.admin().closeIdle(CONNECTION_IDLE);
        if (ssh + admin > 0) {
            LOG.debug("closed idle connections", "ssh", ssh, "admin_clients", admin);
        }
    }

    /** Providers over services of their own, downloads kept in the default cache. */
    public static RocketMqProviders forThisProcess() {
        return new RocketMqProviders(SharedServices.create(RocketMqProvider.defaultDownloadCache()));
    }

    @Override
    public Provider create(SessionEnvironment environment) {
        return new RocketMqProvider(
                shared,
                new UserEnvironment(environment.home(), environment.workingDirectory(), environment.variables()));
    }

    /**
     * The admin client's classes and its client instance's start are the bulk of a cold start (hundreds of ms): start
     * one that talks to nobody and shut it down, while the first launcher is still busy with Terraform.
     */
    @Override
    public void warmUp() {
        KnownKeys.BROKER.contains("brokerName");
        DefaultMQAdminExt admin = new DefaultMQAdminExt(1_000);
        admin.setInstanceName(
                "terraform-provider-rocketmq-warm-up-" + ProcessHandle.current().pid());
        admin.setVipChannelEnabled(false);
        // An address, so that the client does not look one up over HTTP; nothing is sent before the shutdown.
        admin.setNamesrvAddr("127.0.0.1:9876");
        try {
            admin.start();
        } catch (MQClientException | RuntimeException e) {
            LOG.debug("admin client warm-up failed", "error", e.toString());
        } finally {
            admin.shutdown();
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        shared.close();
    }
}
