package dev.tfrocketmq.group;

import dev.tfrocketmq.admin.AdminErrors;
import dev.tfrocketmq.admin.ClusterBrokers;
import dev.tfrocketmq.context.ProviderContext;
import dev.tfrocketmq.framework.diag.OperatorException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.rocketmq.remoting.protocol.body.SubscriptionGroupWrapper;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Consumer-group operations on one cluster: the subscription-group config is kept per broker, so it is read from and
 * written to every master (slaves copy it from their master). Reads use the full group table, which every RocketMQ
 * version since 4.x answers, so a missing group is a definite answer and a failed call is an error.
 */
final class GroupAdmin {
    private static final long TIMEOUT_MILLIS = 5_000;

    private final DefaultMQAdminExt admin;
    private final ClusterBrokers brokers;

    GroupAdmin(DefaultMQAdminExt admin, ClusterBrokers brokers) {
        this.admin = admin;
        this.brokers = brokers;
    }

    static GroupAdmin of(ProviderContext context, List<String> nameServers, String cluster) {
        DefaultMQAdminExt admin = context.admin().forNameServers(nameServers);
        return new GroupAdmin(admin, new ClusterBrokers(admin, nameServers, cluster));
    }

    /** The group on each master that has it, by broker name (sorted); empty when no master has it. */
    Map<String, GroupState> readEach(String group) {
        Map<String, GroupState> found = new LinkedHashMap<>();
        for (Map.Entry<String, String> m : brokers.masters().entrySet()) {
            existing(m.getKey(), m.getValue(), group)
                    .ifPresent(c -> found.put(m.getKey(), GroupState.from(c, List.of(m.getKey()))));
        }
        return found;
    }

    /** The masters of the cluster, by broker name. */
    List<String> masterNames() {
        return List.copyOf(brokers.masters().keySet());
    }

    /**
     * Creates or updates the group on every master, merging with what each already has. Returns the brokers written.
     */
    List<String> write(String group, GroupState desired) {
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, String> m : brokers.masters().entrySet()) {
            SubscriptionGroupConfig config =
                    existing(m.getKey(), m.getValue(), group).orElseGet(SubscriptionGroupConfig::new);
            try {
                admin.createAndUpdateSubscriptionGroupConfig(m.getValue(), desired.mergeInto(config, group));
            } catch (Exception e) {
                throw new OperatorException(
                        "Cannot write consumer group " + group,
                        "Broker " + m.getKey() + " at " + m.getValue() + " refused the subscription-group update: "
                                + AdminErrors.describe(e) + ". "
                                + (written.isEmpty()
                                        ? "No broker was changed."
                                        : "Already written on " + written + "; the next apply writes the rest.")
                                + " Check the broker's log.",
                        e);
            }
            written.add(m.getKey());
        }
        return written;
    }

    /** Deletes the group (and its consumer offsets) on every master; a group already gone is not an error. */
    void delete(String group) {
        for (Map.Entry<String, String> m : brokers.masters().entrySet()) {
            if (existing(m.getKey(), m.getValue(), group).isEmpty()) {
                continue;
            }
            try {
                admin.deleteSubscriptionGroup(m.getValue(), group, true);
            } catch (Exception e) {
                if (!AdminErrors.isGroupNotExist(e)) {
                    throw brokers.failure("delete consumer group " + group + " on broker " + m.getKey(), e);
                }
            }
        }
    }

    private Optional<SubscriptionGroupConfig> existing(String brokerName, String address, String group) {
        SubscriptionGroupWrapper all;
        try {
            all = admin.getAllSubscriptionGroup(address, TIMEOUT_MILLIS);
        } catch (Exception e) {
            throw brokers.failure("read the consumer groups of broker " + brokerName + " at " + address, e);
        }
        if (all == null || all.getSubscriptionGroupTable() == null) {
            throw new OperatorException(
                    "Cannot read the consumer groups of broker " + brokerName,
                    "Broker " + brokerName + " at " + address + " answered without a group table. The state was "
                            + "left unchanged; check the broker's log.");
        }
        return Optional.ofNullable(all.getSubscriptionGroupTable().get(group));
    }
}
