package dev.tfrocketmq.context;

import static java.util.Objects.requireNonNull;

import dev.tfrocketmq.framework.diag.Diagnostic;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.framework.value.ValuePath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What one Terraform run (a session) has planned so far, across resources: which components go where, and which of
 * them restart. Terraform plans and applies resources one call at a time, in parallel; this registry is what lets
 * one resource's plan see the others'. It refuses what cannot run together (one port twice on a host, two
 * components in one directory, two brokers with one name and id in a cluster) and tells a master whether slaves of
 * its group restart in the same apply.
 *
 * <p>A component is known by a token that stays the same across the calls Terraform makes for one resource (the
 * resource keeps it in its private data). Values unknown while planning are left out and checked again at apply.
 */
public final class PlannedComponents {
    /** How long after the last registration the registry counts as settled: the calls Terraform started together. */
    public static final Duration SETTLED = Duration.ofMillis(300);

    /** A port a component binds, what for, and the attribute that sets it. */
    public record Port(int number, String purpose, ValuePath attribute) {}

    /** A directory a component owns, and the attribute that sets it. */
    public record Directory(String path, ValuePath attribute) {}

    /** How members of a group relate: a broker group has one leader (master) and followers; name servers are peers. */
    public enum Role {
        LEADER,
        FOLLOWER,
        PEER
    }

    /**
     * A component's group.
     *
     * @param cluster the cluster it belongs to ("" for peers)
     * @param name    the group's name, e.g. the broker name
     * @param id      the member's id within the group (broker_id)
     * @param role    leader, follower or peer
     */
    public record Group(String cluster, String name, long id, Role role) {
        public Group {
            requireNonNull(cluster, "cluster");
            requireNonNull(name, "name");
            requireNonNull(role, "role");
        }

        boolean sameGroup(Group other) {
            return cluster.equals(other.cluster)
                    && name.equals(other.name)
                    && (role == Role.PEER) == (other.role == Role.PEER);
        }
    }

    /**
     * One component as planned.
     *
     * @param token       its identity across the calls for one resource
     * @param description how messages name it
     * @param host        the host's label ("local" for the machine running Terraform), null while unknown
     * @param ports       the ports it binds (known ones)
     * @param directories its directories (known ones), home first
     * @param group       its group, if any
     * @param restarts    whether the plan restarts it (a running process that stops and starts again)
     */
    public record Component(
            String token,
            String description,
            String host,
            List<Port> ports,
            List<Directory> directories,
            Optional<Group> group,
            boolean restarts) {
        public Component {
            requireNonNull(token, "token");
            requireNonNull(description, "description");
            ports = List.copyOf(ports);
            directories = List.copyOf(directories);
            requireNonNull(group, "group");
        }

        public String where() {
            return host == null ? description : description + " on " + host;
        }
    }

    private enum Progress {
        PLANNED,
        APPLYING,
        DONE
    }

    private record Entry(Component component, Progress progress, long since) {}

    private final String id = UUID.randomUUID().toString();
    private final Map<String, Entry> components = new LinkedHashMap<>();
    private long lastChange = System.nanoTime();

    /** This run's identity, for locks that only its own components share. */
    public String id() {
        return id;
    }

    /** A token for a component that has none yet. */
    public static String newToken() {
        return UUID.randomUUID().toString();
    }

    /**
     * Registers (or updates) a component and returns the errors it clashes with others on; an erroneous component is
     * not registered, so each clash is reported once, on the component planned second.
     */
    public synchronized List<Diagnostic> place(Component component) {
        List<Diagnostic> errors = new ArrayList<>();
        for (Entry entry : components.values()) {
            Component other = entry.component();
            if (other.token().equals(component.token())) {
                continue;
            }
            clashes(component, other, errors);
        }
        if (errors.isEmpty()) {
            Entry previous = components.get(component.token());
            Progress progress = previous == null ? Progress.PLANNED : previous.progress();
            components.put(component.token(), new Entry(component, progress, System.nanoTime()));
            lastChange = System.nanoTime();
            notifyAll();
        }
        return errors;
    }

    private static void clashes(Component mine, Component other, List<Diagnostic> errors) {
        if (mine.host() != null && mine.host().equals(other.host())) {
            for (Port port : mine.ports()) {
                for (Port taken : other.ports()) {
                    if (port.number() == taken.number()) {
                        errors.add(Diagnostic.attributeError(
                                port.attribute(),
                                "Port " + port.number() + " on " + mine.host() + " is bound twice",
                                mine.description() + " binds " + port.number() + " as its " + port.purpose() + ", and "
                                        + other.description() + " on the same host binds it as its " + taken.purpose()
                                        + ". A broker binds listen_port-2, listen_port and listen_port+1: leave at "
                                        + "least 4 ports between the listen_ports of brokers on one host (e.g. 10911 "
                                        + "and 10811), clear of the name server's port."));
                        break;
                    }
                }
            }
            for (Directory dir : mine.directories()) {
                for (Directory taken : other.directories()) {
                    if (overlap(dir.path(), taken.path())) {
                        errors.add(Diagnostic.attributeError(
                                dir.attribute(),
                                "Two components in one directory on " + mine.host(),
                                mine.description() + " uses " + dir.path() + ", and " + other.description()
                                        + " on the same host uses " + taken.path() + ". Each component needs a "
                                        + "directory of its own (its home is <install_dir>/<kind>-<listen_port>); "
                                        + "change install_dir, listen_port or the store paths."));
                        break;
                    }
                }
            }
        }
        if (mine.group().isPresent() && other.group().isPresent()) {
            Group g = mine.group().get();
            Group o = other.group().get();
            if (g.role() != Role.PEER && g.sameGroup(o) && g.id() == o.id()) {
                errors.add(Diagnostic.attributeError(
                        ValuePath.root().attribute("broker_id"),
                        "Broker " + g.name() + " id " + g.id() + " is declared twice in cluster " + g.cluster(),
                        mine.where() + " and " + other.where() + " both are broker_name " + g.name() + " with "
                                + "broker_id " + g.id() + " in cluster " + g.cluster() + "; the name servers would "
                                + "list only one of them. Give each member of a group its own broker_id (0 for the "
                                + "master, 1 and up for slaves)."));
            }
        }
    }

    private static boolean overlap(String a, String b) {
        String x = a.endsWith("/") ? a : a + "/";
        String y = b.endsWith("/") ? b : b + "/";
        return x.startsWith(y) || y.startsWith(x);
    }

    /**
     * Whether a leader of {@code group} is planned, waiting (up to {@code max}) until the registry has settled while
     * none is: Terraform plans a slave and its master side by side, in either order.
     */
    public boolean leaderPlanned(Group group, Duration max, Cancellation cancellation) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (this) {
            while (true) {
                boolean found = components.values().stream()
                        .map(e -> e.component().group())
                        .flatMap(Optional::stream)
                        .anyMatch(g -> g.role() == Role.LEADER && g.sameGroup(group));
                if (found) {
                    return true;
                }
                long quietFor = System.nanoTime() - lastChange;
                long left = Math.min(deadline - System.nanoTime(), SETTLED.toNanos() - quietFor);
                if (left <= 0 || cancellation.isCancelled()) {
                    return false;
                }
                waitNanos(left);
            }
        }
    }

    /** Marks the component's apply as started: it will restart if its plan said so. */
    public synchronized void applying(String token) {
        Entry e = components.get(token);
        if (e != null) {
            components.put(token, new Entry(e.component(), Progress.APPLYING, System.nanoTime()));
            notifyAll();
        }
    }

    /** Marks the component's apply as over (done or failed): nobody waits for it any more. */
    public synchronized void done(String token) {
        Entry e = components.get(token);
        if (e != null) {
            components.put(token, new Entry(e.component(), Progress.DONE, System.nanoTime()));
            notifyAll();
        }
    }

    /**
     * Waits until the registry has settled (no registration for {@link #SETTLED}, at most {@code max}): by then the
     * calls Terraform started together with the caller's have made their plans known.
     */
    public void awaitSettled(Duration max, Cancellation cancellation) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (this) {
            while (!cancellation.isCancelled()) {
                long left =
                        Math.min(deadline - System.nanoTime(), SETTLED.toNanos() - (System.nanoTime() - lastChange));
                if (left <= 0) {
                    return;
                }
                waitNanos(left);
            }
        }
    }

    /**
     * The followers of {@code group} other than {@code token} that restart in this run and have not finished, as
     * messages name them. A follower planned but not applying within {@code applyWithin} is not waited for (its
     * apply did not come).
     */
    public synchronized List<String> restartingFollowers(Group group, String token, Duration applyWithin) {
        List<String> pending = new ArrayList<>();
        long now = System.nanoTime();
        for (Entry e : components.values()) {
            Component c = e.component();
            if (c.token().equals(token) || !c.restarts() || e.progress() == Progress.DONE) {
                continue;
            }
            if (e.progress() == Progress.PLANNED && now - e.since() > applyWithin.toNanos()) {
                continue;
            }
            if (c.group()
                    .filter(g -> g.role() == Role.FOLLOWER && g.sameGroup(group))
                    .isPresent()) {
                pending.add(c.where());
            }
        }
        return pending;
    }

    /** Wakes every waiter to look again (a lock was released elsewhere). */
    synchronized void poke() {
        notifyAll();
    }

    @Override
    public synchronized String toString() {
        StringJoiner j = new StringJoiner(", ", "PlannedComponents[", "]");
        new TreeSet<>(components.keySet()).forEach(j::add);
        return j.toString();
    }

    private void waitNanos(long nanos) {
        try {
            wait(Math.max(1, nanos / 1_000_000), (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperatorException(
                    "Interrupted",
                    "The provider was interrupted while it waited for other "
                            + "resources of this run; nothing was changed by the wait.");
        }
    }
}
