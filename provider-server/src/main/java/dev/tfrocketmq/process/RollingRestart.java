package dev.tfrocketmq.process;

import dev.tfrocketmq.context.PlannedComponents;
import dev.tfrocketmq.context.ProviderContext;
import dev.tfrocketmq.context.RestartLocks;
import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.resource.Cancellation;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The turn of one restart among the others of an apply: Terraform applies independent resources in parallel, so the
 * order is worked out here.
 *
 * <ul>
 *   <li>One broker of a cluster restarts at a time (a lock per cluster; the restart holds it until the broker's group
 *       is whole again, its slaves caught up): so the members of a group never restart together, two masters never
 *       do, and while one group is down or draining, the others take the writes.
 *   <li>A master restarts after the slaves of its group that restart in the same apply: it waits until the calls
 *       Terraform started beside it have made their plans known, then for those slaves to finish.
 *   <li>Name servers of one apply restart one at a time.
 * </ul>
 *
 * The locks are shared by every run this backend serves, so two applies that touch one cluster also take turns.
 */
final class RollingRestart {
    private static final Log LOG = Log.named("restart");
    /** How long the settling of the other calls may take at most. */
    private static final Duration SETTLE_AT_MOST = Duration.ofSeconds(5);
    /** A slave that planned a restart but whose apply has not begun after this is not waited for. */
    private static final Duration FOLLOWER_APPLY_WITHIN = Duration.ofSeconds(60);

    private RollingRestart() {}

    static RestartLocks.Lease turn(ProviderContext context, PlannedComponents.Component me, Cancellation cancellation) {
        Optional<PlannedComponents.Group> group = me.group();
        if (group.isEmpty()) {
            return context.restartLocks().acquire(Set.of(), () -> true, cancellation, "nothing");
        }
        PlannedComponents.Group g = group.get();
        Set<String> keys = new LinkedHashSet<>();
        BooleanSupplier mayGo = () -> true;
        String waitingFor;
        switch (g.role()) {
            case PEER -> {
                keys.add("peers:" + context.planned().id() + ":" + g.name());
                waitingFor = "the other " + g.name() + " of this apply to restart";
            }
            case FOLLOWER -> {
                keys.add(groupKey(g));
                keys.add("brokers:" + g.cluster());
                waitingFor = "the other brokers of cluster " + g.cluster() + " to restart";
            }
            case LEADER -> {
                keys.add(groupKey(g));
                keys.add("brokers:" + g.cluster());
                context.planned().awaitSettled(SETTLE_AT_MOST, cancellation);
                mayGo = () -> context.planned()
                        .restartingFollowers(g, me.token(), FOLLOWER_APPLY_WITHIN)
                        .isEmpty();
                waitingFor = "the slaves of broker group " + g.name() + " and the other brokers of cluster "
                        + g.cluster() + " to restart";
            }
            default -> throw new IllegalStateException(g.role().toString());
        }
        List<String> followers = g.role() == PlannedComponents.Role.LEADER
                ? context.planned().restartingFollowers(g, me.token(), FOLLOWER_APPLY_WITHIN)
                : List.of();
        long started = System.nanoTime();
        LOG.info(
                "waiting for restart turn",
                "component",
                me.where(),
                "keys",
                String.join(" ", keys),
                "slaves_first",
                String.join("; ", followers));
        RestartLocks.Lease lease = context.restartLocks().acquire(keys, mayGo, cancellation, waitingFor);
        LOG.info("restart turn", "component", me.where(), "waited_millis", (System.nanoTime() - started) / 1_000_000);
        return lease;
    }

    private static String groupKey(PlannedComponents.Group g) {
        return "group:" + g.cluster() + "/" + g.name();
    }
}
