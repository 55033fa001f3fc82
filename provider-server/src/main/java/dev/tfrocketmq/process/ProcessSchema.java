package dev.tfrocketmq.process;

import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Validators;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import java.util.List;

/** Attributes every RocketMQ process resource (name server, broker) shares. */
public final class ProcessSchema {
    public static final String RUNNING = "running";
    public static final String STOPPED = "stopped";

    /**
     * The shared attributes whose change restarts the process: each ends up on its command line. A kind adds its own
     * (see {@link ProcessKind#restartAttributes()}). Config-file keys are decided one by one: a change of keys that
     * the running version applies live is sent to the running process instead (see {@link ConfigChange}).
     */
    public static final List<String> RESTART_ATTRIBUTES =
            List.of("distribution_sha256", "java_home", "jvm_heap", "jvm_options");

    private ProcessSchema() {}

    /**
     * The shared attributes.
     *
     * @param kind        the kind's name, as in its directory {@code <kind>-<port>}
     * @param configFile  the config file {@code properties} adds to, e.g. {@code broker.conf}
     * @param defaultHeap the default {@code jvm_heap}
     * @param destroyed   what {@code delete_data_on_destroy} deletes, e.g. "directory and message store"
     */
    public static List<Attribute> common(String kind, String configFile, String defaultHeap, String destroyed) {
        return List.of(
                Attribute.string("id")
                        .computed()
                        .useStateForUnknown()
                        .description("`<host>:<home_dir>`.")
                        .build(),
                Attribute.string("host")
                        .optional()
                        .requiresReplace()
                        .validate(Validators.host())
                        .description("Host to run on, reached over SSH (see the `ssh` block here and in the provider). "
                                + "Omitted: the machine running Terraform. Changing it replaces the " + kind + ".")
                        .build(),
                Attribute.string("install_dir")
                        .required()
                        .requiresReplace()
                        .validate(Validators.absolutePath())
                        .description(
                                "Absolute directory on the host. Distributions unpack into `<install_dir>/dist/<sha256>/`; this "
                                        + kind + " lives in `<install_dir>/" + kind
                                        + "-<listen_port>/` (config, launch script, pid, logs, store). "
                                        + "Changing it replaces the " + kind + ".")
                        .build(),
                Attribute.string("distribution")
                        .required()
                        .validate(
                                Validators.matches(
                                        "[A-Za-z0-9._/@:+=,%~-]+",
                                        "a local path or a file://, http:// or https:// URL of letters, digits and . _ / @ : + = , % ~ - only"))
                        .description(
                                "RocketMQ binary release archive (`.zip`, `.tar.gz`): a local path on the machine running Terraform, "
                                        + "or a URL. Uploaded at most once per host and version.")
                        .build(),
                Attribute.string("distribution_sha256")
                        .optional()
                        .computed()
                        .validate(Validators.matches("[0-9a-f]{64}", "64 lowercase hexadecimal characters"))
                        .description("SHA-256 of the archive. Required for URLs; computed for local files. A change "
                                + "upgrades the " + kind + " in place: the new release is installed beside the old one "
                                + "and the " + kind + " restarts from it with the same directory, data and ports.")
                        .build(),
                Attribute.string("rocketmq_version")
                        .computed()
                        .description(
                                "The RocketMQ release in `distribution` (e.g. `4.9.7`), read from the names of its "
                                        + "jars when planning (a URL: once its download is cached; until then at apply). It "
                                        + "chooses the list `properties` is checked against, the JVM flags (4.x: `--add-opens` "
                                        + "and its own `conf/logback_*.xml`) and which changes the running " + kind
                                        + " takes without a restart. Supported: "
                                        + String.join(", ", KnownKeys.versions())
                                        + "; another version gets a warning, unchecked `properties` and a restart for every "
                                        + "change.")
                        .build(),
                Attribute.string("java_home")
                        .optional()
                        .validate(Validators.absolutePath())
                        .description(
                                "Java 17+ home on the host. Defaults to the provider's `java_home`, then the Java running the provider.")
                        .build(),
                Attribute.string("jvm_heap")
                        .defaultValue(Value.string(defaultHeap))
                        .validate(Validators.matches("[1-9][0-9]{0,6}[kKmMgG]?", "a JVM size such as 256m or 2g"))
                        .description(
                                "JVM heap (`-Xms` and `-Xmx`). RocketMQ's own scripts default to several GB; this defaults to "
                                        + defaultHeap + ".")
                        .build(),
                Attribute.of("jvm_options", TfType.list(TfType.STRING))
                        .optional()
                        .validate(Validators.eachElement(Validators.matches(
                                "-[A-Za-z0-9._:+=,/@%-]+",
                                "a JVM option starting with - (letters, digits and . _ : + = , / @ % - only)")))
                        .description(
                                "Extra JVM options, e.g. `[\"-XX:+UseG1GC\"]`. Changing them restarts the process. "
                                        + "Without a `-Dtls.` option among them, RocketMQ's TLS permissive mode (a self-signed "
                                        + "test certificate made at every start, seconds of CPU) is turned off with "
                                        + "`-Dtls.server.mode=disabled`; configure TLS here to use it.")
                        .build(),
                Attribute.of("properties", TfType.map(TfType.STRING))
                        .optional()
                        .validate(Validators.eachKey(Validators.matches(
                                "[A-Za-z][A-Za-z0-9._]*",
                                "a RocketMQ property name (letters, digits, dots and underscores)")))
                        .validate(Validators.eachValue(Validators.matches(
                                "[A-Za-z0-9._:;,/@%+=-]*", "letters, digits and . _ : ; , / @ % + = - only")))
                        .description("Extra `" + configFile + "` keys, checked against the keys the distribution's "
                                + "RocketMQ version reads (RocketMQ ignores unknown keys silently). A change of keys "
                                + "that version applies live is sent to the running " + kind + " (no restart); any "
                                + "other change restarts it, and the plan names the keys that force the restart.")
                        .build(),
                Attribute.of("unchecked_keys", TfType.set(TfType.STRING))
                        .optional()
                        .validate(Validators.eachElement(Validators.matches(
                                "[A-Za-z][A-Za-z0-9._]*",
                                "a RocketMQ property name (letters, digits, dots and underscores)")))
                        .description("Keys of `properties` passed on without checking them against the version's "
                                + "key list: for a key the list lacks although the " + kind + " reads it (a plugin, "
                                + "a patched build). A change of such a key restarts the " + kind + ".")
                        .build(),
                Attribute.string("state")
                        .defaultValue(Value.string(RUNNING))
                        .validate(Validators.oneOf(RUNNING, STOPPED))
                        .description(
                                "`running` (default) or `stopped`. A process found dead reads as `stopped`, so the plan shows it "
                                        + "being started again.")
                        .build(),
                Attribute.bool("delete_data_on_destroy")
                        .optional()
                        .description(
                                "Delete the " + kind + "'s " + destroyed + " on destroy. Default false: data is kept.")
                        .build(),
                Attribute.string("home_dir")
                        .computed()
                        .description("The " + kind + "'s directory on the host.")
                        .build(),
                Attribute.string("address")
                        .computed()
                        .description("`host:port` clients use.")
                        .build(),
                Attribute.number("pid")
                        .computed()
                        .description("Process ID while running; null when stopped.")
                        .build());
    }
}
