package dev.tfrocketmq.process;

import static java.util.Objects.requireNonNull;

import dev.tfrocketmq.admin.AdminCredentials;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.framework.resource.PlanResponse;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.runtime.RocketMqVersion;
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
 * @param knownKeys         the config keys RocketMQ reads, for checking {@code properties}
 * @param main              main class, config file and logback config of the JVM
 * @param gracefulStop      how long a stop waits after SIGTERM before SIGKILL
 * @param ownRestartAttributes the kind's attributes whose change restarts the process (besides the shared ones)
 * @param config            the config file's entries for a plan
 * @param endpoints         the ports the process binds and the address clients use
 * @param readiness         how RocketMQ proves the started process serves
 * @param planDefaults      derived defaults filled at plan time
 * @param checks            cross-attribute checks at validate time
 * @param dataDirectories   directories besides the home directory that hold data
 * @param authentication    config entries that depend on the provider's admin credentials, and the credentials
 *                          readiness signs with
 * @param versions          the RocketMQ version a plan needs, checked against the distribution at plan time
 */
public record ProcessKind(
        String name,
        String typeName,
        Schema schema,
        KnownKeys knownKeys,
        JvmMain main,
        Duration gracefulStop,
        List<String> ownRestartAttributes,
        ConfigFile config,
        Endpoints endpoints,
        Readiness readiness,
        List<PlanDefaults> planDefaults,
        List<ConfigCheck> checks,
        DataDirectories dataDirectories,
        Authentication authentication,
        VersionRequirement versions) {

    /** A kind whose config and readiness do not depend on credentials and that runs on any version. */
    public ProcessKind(
            String name,
            String typeName,
            Schema schema,
            KnownKeys knownKeys,
            JvmMain main,
            Duration gracefulStop,
            List<String> ownRestartAttributes,
            ConfigFile config,
            Endpoints endpoints,
            Readiness readiness,
            List<PlanDefaults> planDefaults,
            List<ConfigCheck> checks,
            DataDirectories dataDirectories) {
        this(
                name,
                typeName,
                schema,
                knownKeys,
                main,
                gracefulStop,
                ownRestartAttributes,
                config,
                endpoints,
                readiness,
                planDefaults,
                checks,
                dataDirectories,
                Authentication.NONE,
                VersionRequirement.ANY);
    }

    public ProcessKind {
        requireNonNull(name, "name");
        requireNonNull(typeName, "typeName");
        requireNonNull(schema, "schema");
        requireNonNull(knownKeys, "knownKeys");
        requireNonNull(main, "main");
        requireNonNull(gracefulStop, "gracefulStop");
        ownRestartAttributes = List.copyOf(ownRestartAttributes);
        requireNonNull(config, "config");
        requireNonNull(endpoints, "endpoints");
        requireNonNull(readiness, "readiness");
        planDefaults = List.copyOf(planDefaults);
        checks = List.copyOf(checks);
        requireNonNull(dataDirectories, "dataDirectories");
        requireNonNull(authentication, "authentication");
        requireNonNull(versions, "versions");
        for (String attribute : ownRestartAttributes) {
            if (schema.block().attribute(attribute).isEmpty()) {
                throw new IllegalArgumentException(typeName + " has no attribute " + attribute + " to restart on");
            }
        }
    }

    /**
     * The JVM's entry point and the files it is pointed at.
     *
     * @param configOption the command-line option that names the config file ({@code -c}, the proxy's {@code -pc})
     */
    public record JvmMain(String mainClass, String configFile, String logbackConfig, String configOption) {
        public JvmMain {
            requireNonNull(mainClass, "mainClass");
            requireNonNull(configFile, "configFile");
            requireNonNull(logbackConfig, "logbackConfig");
            requireNonNull(configOption, "configOption");
        }

        /** A main that takes its config file with {@code -c}, as the name server and the broker do. */
        public JvmMain(String mainClass, String configFile, String logbackConfig) {
            this(mainClass, configFile, logbackConfig, "-c");
        }
    }

    /** Every attribute whose change restarts the process: the shared ones, then the kind's own. */
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

    /** The config file's entries (key to value, in order) for a plan, and how they are written. */
    @FunctionalInterface
    public interface ConfigFile {
        Map<String, String> entries(Value planned);

        /** The file's bytes: a Java properties file unless the kind reads another format. */
        default byte[] render(Map<String, String> entries) {
            return PropertiesText.render(entries);
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

    /** Where the process listens. */
    public interface Endpoints {
        /** Every TCP port the process binds. */
        List<Integer> ports(Value planned);

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
    @FunctionalInterface
    public interface DataDirectories {
        DataDirectories NONE = state -> List.of();

        List<String> of(Value state);
    }
}
