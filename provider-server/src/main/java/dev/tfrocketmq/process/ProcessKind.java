package dev.tfrocketmq.process;

import static java.util.Objects.requireNonNull;

import dev.tfrocketmq.admin.AdminClients;
import dev.tfrocketmq.context.PlannedComponents;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.framework.resource.PlanResponse;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import dev.tfrocketmq.runtime.StopMarkers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one kind of RocketMQ process (name server, broker) is, as data: its names, schema, main class and files, the
 * attributes that restart it, and the few behaviours that differ between kinds as small collaborators.
 * {@link ProcessResource} runs every kind the same way.
 *
 * @param name              {@code nameserver}, {@code broker}: the directory {@code <install_dir>/<name>-<port>}
 *                          and the word diagnostics use
 * @param typeName          the resource type, e.g. {@code rocketmq_broker}
 * @param schema            the resource schema, built on {@link ProcessSchema#common}
 * @param keyLists          the config keys each RocketMQ version reads, accepts and applies live
 * @param main              main class, config file and role of the JVM
 * @param gracefulStop      how long a stop waits after SIGTERM before SIGKILL
 * @param ownRestartAttributes the kind's attributes outside the config file whose change restarts the process
 * @param config            the config file's entries for a plan, and which attribute renders which key
 * @param endpoints         the ports the process binds and the address clients use
 * @param readiness         how RocketMQ proves the started process serves
 * @param planDefaults      derived defaults filled at plan time
 * @param checks            cross-attribute checks at validate time
 * @param dataDirectories   directories besides the home directory that hold data
 * @param liveConfig        the running process's own config: read it, change it without a restart
 * @param membership        the process's place among others for restart order and topology checks
 * @param stopping          what a restart does before it stops the process, and when the stop may cut RocketMQ's
 *                          shutdown short
 */
public record ProcessKind(
        String name,
        String typeName,
        Schema schema,
        KeyLists keyLists,
        JvmMain main,
        Duration gracefulStop,
        List<String> ownRestartAttributes,
        ConfigFile config,
        Endpoints endpoints,
        Readiness readiness,
        List<PlanDefaults> planDefaults,
        List<ConfigCheck> checks,
        DataDirectories dataDirectories,
        LiveConfig liveConfig,
        Membership membership,
        Stopping stopping) {

    public ProcessKind {
        requireNonNull(name, "name");
        requireNonNull(typeName, "typeName");
        requireNonNull(schema, "schema");
        requireNonNull(keyLists, "keyLists");
        requireNonNull(main, "main");
        requireNonNull(gracefulStop, "gracefulStop");
        ownRestartAttributes = List.copyOf(ownRestartAttributes);
        requireNonNull(config, "config");
        requireNonNull(endpoints, "endpoints");
        requireNonNull(readiness, "readiness");
        planDefaults = List.copyOf(planDefaults);
        checks = List.copyOf(checks);
        requireNonNull(dataDirectories, "dataDirectories");
        requireNonNull(liveConfig, "liveConfig");
        requireNonNull(membership, "membership");
        requireNonNull(stopping, "stopping");
        for (String attribute : ownRestartAttributes) {
            if (schema.block().attribute(attribute).isEmpty()) {
                throw new IllegalArgumentException(typeName + " has no attribute " + attribute + " to restart on");
            }
        }
        for (String attribute : config.attributeKeys().keySet()) {
            if (schema.block().attribute(attribute).isEmpty()) {
                throw new IllegalArgumentException(typeName + " has no attribute " + attribute + " to render");
            }
        }
    }

    /**
     * The JVM's entry point and the files it is pointed at.
     *
     * @param role {@code namesrv} or {@code broker}: names RocketMQ's logging configuration (5.x:
     *             {@code rmq.<role>.logback.xml} in its jars; 4.x: {@code conf/logback_<role>.xml})
     */
    public record JvmMain(String mainClass, String configFile, String role) {
        public JvmMain {
            requireNonNull(mainClass, "mainClass");
            requireNonNull(configFile, "configFile");
            requireNonNull(role, "role");
        }
    }

    /** The key lists of a RocketMQ version for this kind, or empty when the provider has none for it. */
    @FunctionalInterface
    public interface KeyLists {
        Optional<KnownKeys> of(String version);
    }

    /** Every attribute outside the config file whose change restarts the process: the shared ones, then the kind's. */
    public List<String> restartAttributes() {
        List<String> all = new ArrayList<>(ProcessSchema.RESTART_ATTRIBUTES);
        ownRestartAttributes.stream().filter(a -> !all.contains(a)).forEach(all::add);
        return List.copyOf(all);
    }

    /** The {@code listen_port} default from the schema, for examples in messages. */
    public String defaultPort() {
        return schema.block()
                .attribute("listen_port")
                .map(Attribute::defaultValue)
                .map(v -> v.asNumber().toPlainString())
                .orElse("<listen_port>");
    }

    /** The config file: its entries (key to value, in order) for a plan, and the typed attributes behind them. */
    public interface ConfigFile {
        Map<String, String> entries(Value planned);

        /** Typed attributes and the keys they render to; every other key comes from {@code properties}. */
        Map<String, String> attributeKeys();
    }

    /** A TCP port a process binds, and what for (for messages: "listen_port", "listen_port-2 (fast channel)"). */
    public record Port(int number, String purpose) {}

    /** Where the process listens. */
    public interface Endpoints {
        /** Every TCP port the process binds. */
        List<Port> ports(Value planned);

        /** {@code host:port} clients use, or null while unknown. */
        String address(Value planned, String hostAddress);
    }

    /** Waits until RocketMQ itself says the process serves; throws an OperatorException with the log tail if not. */
    @FunctionalInterface
    public interface Readiness {
        void await(StartedProcess process, Cancellation cancellation);
    }

    /** Fills derived defaults: called with the config, the plan so far and the host's address (null while unknown). */
    @FunctionalInterface
    public interface PlanDefaults {
        void fill(Value config, PlanResponse response, String hostAddress);
    }

    /** A cross-attribute check of the configuration (which may hold unknowns: skip those). */
    @FunctionalInterface
    public interface ConfigCheck {
        void check(Value config, Diagnostics diagnostics);
    }

    /** Directories besides the home directory that hold data, deleted only with delete_data_on_destroy. */
    public interface DataDirectories {
        DataDirectories NONE = new DataDirectories() {
            @Override
            public List<String> of(Value state) {
                return List.of();
            }

            @Override
            public List<String> attributes() {
                return List.of();
            }
        };

        /** The data directories a state names. */
        List<String> of(Value state);

        /** The attributes that name them. */
        List<String> attributes();

        /** The same directories with the attribute that sets each (for messages that point at the configuration). */
        default Map<String, ValuePath> attributes(Value state) {
            return Map.of();
        }
    }

    /** The running process's own view of its config, through RocketMQ's config requests. */
    public interface LiveConfig {
        /**
         * The config the running process reports (every key it has, as text).
         *
         * @param address {@code host:port} of the process
         * @throws Exception when it does not answer; the caller says what that means
         */
        Map<String, String> read(AdminClients admin, Value state, String address) throws Exception;

        /** Sends changed keys to the running process; {@link #read} tells what it made of them. */
        void write(AdminClients admin, Value state, String address, Map<String, String> updates) throws Exception;
    }

    /** Where a process sits among the others of a plan: for topology checks and the order of restarts. */
    public interface Membership {
        /** Its group (a broker group), or a group of peers (the name servers of one apply). */
        Optional<PlannedComponents.Group> group(Value planned);

        /** How messages name it, e.g. "rocketmq_broker broker-a (broker_id 0)". */
        String describe(Value planned);
    }

    /** What a restart does around the stop of a running process. */
    public interface Stopping {
        /**
         * Runs before a restart stops the process (a master lets its slaves catch up and takes writes elsewhere; a
         * name server notes the brokers it knows) and returns what finishes the restart once the new process is
         * ready, or undoes this when the restart fails.
         */
        Restart beforeStop(StartedProcess running, Cancellation cancellation);

        /** Files that prove RocketMQ's shutdown has written everything, so that the rest may be cut short. */
        StopMarkers markers(Value state);
    }

    /** The rest of one restart, decided before its stop. */
    public interface Restart {
        Restart NOTHING = new Restart() {
            @Override
            public void afterStart(StartedProcess started, Cancellation cancellation) {}

            @Override
            public void undo() {}
        };

        /** The new process is ready: wait until its group is whole again, give back what was taken. */
        void afterStart(StartedProcess started, Cancellation cancellation);

        /** The restart failed: give back what {@link Stopping#beforeStop} took. */
        void undo();
    }
}
