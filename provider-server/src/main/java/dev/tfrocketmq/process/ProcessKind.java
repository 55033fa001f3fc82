package dev.tfrocketmq.process;

import static java.util.Objects.requireNonNull;

import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.framework.resource.PlanResponse;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.value.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        DataDirectories dataDirectories) {

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
        for (String attribute : ownRestartAttributes) {
            if (schema.block().attribute(attribute).isEmpty()) {
                throw new IllegalArgumentException(typeName + " has no attribute " + attribute + " to restart on");
            }
        }
    }

    /** The JVM's entry point and the files it is pointed at. */
    public record JvmMain(String mainClass, String configFile, String logbackConfig) {
        public JvmMain {
            requireNonNull(mainClass, "mainClass");
            requireNonNull(configFile, "configFile");
            requireNonNull(logbackConfig, "logbackConfig");
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

    /** The config file's entries (key to value, in order) for a plan. */
    @FunctionalInterface
    public interface ConfigFile {
        Map<String, String> entries(Value planned);
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
    }
}
