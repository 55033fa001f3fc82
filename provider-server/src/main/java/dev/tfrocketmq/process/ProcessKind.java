package dev.tfrocketmq.process;

import static java.util.Objects.requireNonNull;

import dev.tfrocketmq.admin.AdminClients;
import dev.tfrocketmq.admin.AdminCredentials;
import dev.tfrocketmq.context.PlannedComponents;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.framework.resource.PlanResponse;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import dev.tfrocketmq.runtime.RocketMqVersion;
import dev.tfrocketmq.runtime.StopMarkers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
 * @param authentication    config entries that depend on the provider's admin credentials, and the credentials
 *                          readiness signs with
 * @param versions          the RocketMQ version a plan needs, checked against the distribution at plan time
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
        Stopping stopping,
        Authentication authentication,
        VersionRequirement versions) {

    /** A kind whose config and readiness do not depend on credentials and that runs on any version. */
    public ProcessKind(
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
        this(
                name,
                typeName,
                schema,
                keyLists,
                main,
                gracefulStop,
                ownRestartAttributes,
                config,
                endpoints,
                readiness,
                planDefaults,
                checks,
                dataDirectories,
                liveConfig,
                membership,
                stopping,
                Authentication.NONE,
                VersionRequirement.ANY);
    }

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
        requireNonNull(authentication, "authentication");
        requireNonNull(versions, "versions");
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
     * @param role         {@code namesrv}, {@code broker} or {@code proxy}: names RocketMQ's logging configuration
     *                     (5.x: {@code rmq.<role>.logback.xml} in its jars; 4.x: {@code conf/logback_<role>.xml})
     * @param configOption the command-line option that names the config file ({@code -c}, the proxy's {@code -pc})
     */
    public record JvmMain(String mainClass, String configFile, String role, String configOption) {
        public JvmMain {
            requireNonNull(mainClass, "mainClass");
            requireNonNull(configFile, "configFile");
            requireNonNull(role, "role");
            requireNonNull(configOption, "configOption");
        }

        /** A main that takes its config file with {@code -c}, as the name server and the broker do. */
        public JvmMain(String mainClass, String configFile, String role) {
            this(mainClass, configFile, role, "-c");
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

    /**
     * The config file: its entries (key to value, in order) for a plan, the typed attributes behind them, and how it
     * is written and read.
     */
    public interface ConfigFile {
        Map<String, String> entries(Value planned);

        /** Typed attributes and the keys they render to; every other key comes from {@code properties}. */
        Map<String, String> attributeKeys();

        /** The file's bytes: a Java properties file unless the kind reads another format. */
        default byte[] render(Map<String, String> entries) {
            return PropertiesText.render(entries);
        }

        /** The entries of the file as found on a host (those it can tell; none when it cannot be read). */
        default Map<String, String> parse(byte[] content) {
            return PropertiesText.parse(content);
        }
    }

    /**
     * What a process needs of the provider's admin credentials when it runs with authentication on: config entries
     * (such as the credentials of RocketMQ's own inner clients) and the credentials its readiness check signs with.
     * Both are empty for a plan without authentication.
     */
    public interface Authentication {
        Authentication NONE = new Authentication() {
            @Override
            public Map<String, String> entries(Value planned, Optional<AdminCredentials> admin) {
                return Map.of();
            }

            @Override
            public Optional<AdminCredentials> readiness(Value planned, Optional<AdminCredentials> admin) {
                return admin;
            }
        };

        Map<String, String> entries(Value planned, Optional<AdminCredentials> admin);

        Optional<AdminCredentials> readiness(Value planned, Optional<AdminCredentials> admin);

        /**
         * Every config key {@link #entries} may write. They derive from secrets, so they are never compared with what
         * a host has nor kept in state; the restart attributes of the kind cover their changes.
         */
        default Set<String> keys() {
            return Set.of();
        }

        /** Runs once the process is ready (its admin clients sign with {@link #readiness}). */
        default void afterReady(StartedProcess process, Optional<AdminCredentials> admin) {}
    }

    /** The oldest RocketMQ version a plan can run on, and why; empty when any version will do. */
    @FunctionalInterface
    public interface VersionRequirement {
        VersionRequirement ANY = planned -> Optional.empty();

        Optional<Requirement> of(Value planned);

        /**
         * @param minimum   the oldest version that works
         * @param attribute the attribute that needs it (null: the kind itself)
         * @param feature   what needs it, for the message
         */
        record Requirement(RocketMqVersion minimum, String attribute, String feature) {}
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
        /** A process without config requests (the proxy): nothing is read or sent, every change restarts it. */
        LiveConfig NONE = new LiveConfig() {
            @Override
            public Map<String, String> read(AdminClients admin, Value state, String address) {
                return Map.of();
            }

            @Override
            public void write(AdminClients admin, Value state, String address, Map<String, String> updates) {
                throw new UnsupportedOperationException("no live config");
            }
        };

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
        /** A process that keeps no data and needs nothing around its restart. */
        Stopping NOTHING = new Stopping() {
            @Override
            public Restart beforeStop(StartedProcess running, Cancellation cancellation) {
                return Restart.NOTHING;
            }

            @Override
            public StopMarkers markers(Value state) {
                return StopMarkers.NOTHING_TO_WRITE;
            }
        };

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
