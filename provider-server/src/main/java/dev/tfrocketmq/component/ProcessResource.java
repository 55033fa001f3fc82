package dev.tfrocketmq.component;

import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.framework.resource.ImportableResource;
import dev.tfrocketmq.framework.resource.PlanResponse;
import dev.tfrocketmq.framework.resource.PlanRules;
import dev.tfrocketmq.framework.resource.Requests;
import dev.tfrocketmq.framework.resource.StateResponse;
import dev.tfrocketmq.framework.value.JsonValues;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import dev.tfrocketmq.host.Host;
import dev.tfrocketmq.host.HostException;
import dev.tfrocketmq.host.LocalHost;
import dev.tfrocketmq.provider.ProviderContext;
import dev.tfrocketmq.provider.SshBlock;
import dev.tfrocketmq.runtime.ComponentSpec;
import dev.tfrocketmq.runtime.DistributionException;
import dev.tfrocketmq.runtime.DistributionInstaller;
import dev.tfrocketmq.runtime.DistributionSource;
import dev.tfrocketmq.runtime.InstalledDistribution;
import dev.tfrocketmq.runtime.Ports;
import dev.tfrocketmq.runtime.ProcessControl;
import dev.tfrocketmq.runtime.ProcessStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A RocketMQ process on a host, reconciled: the declared state is a set of files plus one process. Read compares what
 * is there with what is declared; apply changes only what differs. Subclasses supply the config, the command and
 * the readiness check.
 */
public abstract class ProcessResource implements ImportableResource {
    private static final Log LOG = Log.named("component");
    /** The declared values, recorded in the component directory so the component can be imported. */
    static final String DECLARED = "terraform-declared.json";

    protected final ProviderContext context;
    private final String kind;

    protected ProcessResource(ProviderContext context, String kind) {
        this.context = context;
        this.kind = kind;
    }

    /** The attribute values whose change needs a restart (everything that ends up in config or command line). */
    protected abstract List<String> restartAttributes();

    /** The listen port in a known plan, or -1 while unknown. */
    protected final int port(Value values) {
        Value port = values.attribute("listen_port");
        return port.isKnown() && !port.isNull() ? port.asInt() : -1;
    }

    /** Fill derived defaults (called with config, the plan so far and the host's address, null while unknown). */
    protected void planDerived(Value config, PlanResponse response, String hostAddress) {}

    /** host:port clients use, or null while unknown. */
    protected abstract String address(Value planned, String hostAddress);

    /** Every TCP port the process binds. */
    protected abstract List<Integer> ports(Value planned);

    /** Config files (name -> content) to write into conf/; the process reads them from run/. */
    protected abstract Map<String, byte[]> configFiles(Value planned, String homeDir);

    /** Main class and its arguments after the classpath. */
    protected abstract List<String> mainAndArgs(Value planned, String homeDir);

    /** JVM system property naming the logback config inside RocketMQ's jars. */
    protected abstract String logbackConfig();

    protected abstract Duration gracefulStop();

    /** Wait until RocketMQ itself says the process serves; throw OperatorException with the log tail otherwise. */
    protected abstract void awaitReady(
            Value planned, Host host, ProcessControl control, String homeDir, Cancellation cancellation);

    /** The configuration keys the process reads, for checking {@code properties}. */
    protected abstract KnownKeys knownKeys();

    @Override
    public void validate(Requests.Validate request, Diagnostics diagnostics) {
        Value props = request.config().attribute("properties");
        if (!props.isKnown() || props.isNull() || !knownKeys().available()) {
            return;
        }
        for (String key : props.entries().keySet()) {
            if (!knownKeys().contains(key)) {
                diagnostics.attributeError(
                        ValuePath.root().attribute("properties").key(key),
                        "Unknown " + kind + " property " + key,
                        "RocketMQ 5.3 has no " + kind + " setting named " + key + " and would ignore it silently."
                                + knownKeys()
                                        .suggest(key)
                                        .map(s -> " Did you mean " + s + "?")
                                        .orElse("")
                                + " Fix or remove the key.");
            }
        }
    }

    /** Directories besides the home directory that hold data (deleted only with delete_data_on_destroy). */
    protected List<String> dataDirectories(Value state) {
        return List.of();
    }

    protected final String kind() {
        return kind;
    }

    @Override
    public void modifyPlan(Requests.Plan request, PlanResponse response) {
        Value planned = response.planned();
        Value installDir = planned.attribute("install_dir");
        int port = port(planned);
        String label = ProviderContext.hostLabel(planned);
        String hostAddress = ProviderContext.hostAddress(planned);
        if (installDir.isKnown() && port > 0) {
            String home = installDir.asString() + "/" + kind + "-" + port;
            response.setAttribute("home_dir", Value.string(home));
            if (label != null) {
                response.setAttribute("id", Value.string(label + ":" + home));
            }
        }
        planSha(request.config(), response);
        planDerived(request.config(), response, hostAddress);
        String address = hostAddress == null ? null : address(response.planned(), hostAddress);
        if (address != null) {
            response.setAttribute("address", Value.string(address));
        }
        boolean wantRunning =
                ComponentSchema.RUNNING.equals(response.attribute("state").asString());
        if (!wantRunning) {
            response.setAttribute("pid", Value.nullOf(TfType.NUMBER));
        } else if (request.creating() || needsRestart(request.prior(), response.planned())) {
            response.setAttribute("pid", Value.unknown(TfType.NUMBER));
        } else {
            response.setAttribute("pid", request.prior().attribute("pid"));
        }
    }

    private void planSha(Value config, PlanResponse response) {
        Value distribution = response.attribute("distribution");
        if (!config.attribute("distribution_sha256").isNull() || !distribution.isKnown()) {
            return;
        }
        String location = distribution.asString();
        if (location.contains("://") && !location.startsWith("file://")) {
            response.diagnostics()
                    .attributeError(
                            ValuePath.root().attribute("distribution_sha256"),
                            "distribution_sha256 is required for URLs",
                            "The distribution " + location
                                    + " is downloaded, so its SHA-256 must be declared to verify it. "
                                    + "Set distribution_sha256 to the archive's published checksum.");
            return;
        }
        Path path = Path.of(location.startsWith("file://") ? location.substring("file://".length()) : location);
        if (!Files.isRegularFile(path)) {
            response.diagnostics()
                    .attributeError(
                            ValuePath.root().attribute("distribution"),
                            "Distribution archive not found",
                            "No file at " + path.toAbsolutePath()
                                    + " on the machine running Terraform. Point distribution at a "
                                    + "RocketMQ binary release archive (for example rocketmq-all-5.3.3-bin-release.zip).");
            return;
        }
        try {
            response.setAttribute("distribution_sha256", Value.string(DistributionInstaller.sha256(path)));
        } catch (DistributionException e) {
            response.diagnostics()
                    .attributeError(
                            ValuePath.root().attribute("distribution"),
                            "Cannot read distribution archive",
                            path + ": " + e.getMessage());
        }
    }

    private boolean needsRestart(Value prior, Value planned) {
        for (String name : restartAttributes()) {
            if (!Objects.equals(prior.attribute(name), planned.attribute(name))) {
                return true;
            }
        }
        return !ComponentSchema.RUNNING.equals(prior.attribute("state").asString());
    }

    @Override
    public void create(Requests.Create request, StateResponse response) {
        deploy(request.planned(), null, response, request.cancellation());
    }

    @Override
    public void update(Requests.Update request, StateResponse response) {
        deploy(request.planned(), request.prior(), response, request.cancellation());
    }

    private void deploy(Value planned, Value prior, StateResponse response, Cancellation cancellation) {
        onHost(planned, "deploy", host -> {
            deployOn(host, planned, prior, response, cancellation);
            return null;
        });
    }

    /** Runs host work, turning transport and command failures into diagnostics that name the host. */
    protected final <T> T onHost(Value values, String doing, Function<Host, T> work) {
        String label = ProviderContext.hostLabel(values);
        try {
            return work.apply(context.host(values));
        } catch (HostException e) {
            throw new OperatorException(
                    "Cannot " + doing + " the " + kind + " on " + label,
                    e.getMessage() + "\nThe state was left as it was; fix the cause and run the command again.",
                    e);
        }
    }

    private void deployOn(Host host, Value planned, Value prior, StateResponse response, Cancellation cancellation) {
        String home = planned.attribute("home_dir").asString();
        ProcessControl control = new ProcessControl(host);
        String sha = planned.attribute("distribution_sha256").asString();
        Path archive =
                DistributionSource.resolve(planned.attribute("distribution").asString(), sha, context.downloadCache());
        InstalledDistribution dist = context.installer()
                .ensureInstalled(host, planned.attribute("install_dir").asString(), archive, sha);
        String javaPath = JavaCheck.resolve(host, javaHome(planned), host instanceof LocalHost);
        ComponentSpec spec =
                new ComponentSpec(home, configFiles(planned, home), command(javaPath, planned, home, dist), Map.of());
        boolean restart = prior == null || needsRestart(prior, planned);
        boolean changed = control.writeFiles(spec);
        host.writeFile(home + "/" + DECLARED, declared(planned).getBytes(StandardCharsets.UTF_8), 0600);
        // Files now describe the plan; the state follows reality from here on.
        response.setState(planned.withAttribute("pid", Value.nullOf(TfType.NUMBER))
                .withAttribute("state", Value.string(ComponentSchema.STOPPED)));
        boolean wantRunning =
                ComponentSchema.RUNNING.equals(planned.attribute("state").asString());
        ProcessStatus status = control.status(home);
        if (!wantRunning) {
            control.stop(home, gracefulStop());
            response.setState(planned);
            return;
        }
        if (status instanceof ProcessStatus.Running running && !restart && !changed) {
            response.setState(planned.withAttribute("pid", Value.number(running.pid())));
            return;
        }
        if (status instanceof ProcessStatus.Running) {
            LOG.info("restarting " + kind, "home", home);
            control.stop(home, gracefulStop());
        }
        String hostAddress = ProviderContext.hostAddress(planned);
        for (int port : ports(planned)) {
            if (Ports.isListening(hostAddress, port, Duration.ofSeconds(2))) {
                throw new OperatorException(
                        "Port " + port + " on " + host.name() + " is already in use",
                        "The " + kind + " in " + home + " needs ports " + ports(planned) + ", but " + hostAddress + ":"
                                + port + " already accepts connections from another process. Stop that process or "
                                + "choose another listen_port.");
            }
        }
        control.start(spec);
        awaitReady(planned, host, control, home, cancellation);
        if (!(control.status(home) instanceof ProcessStatus.Running running)) {
            throw new OperatorException(
                    "The " + kind + " stopped right after starting",
                    "On " + host.name() + ", " + home + " exited. Last lines of its console log:\n"
                            + control.logTail(home, 30));
        }
        response.setState(planned.withAttribute("pid", Value.number(running.pid())));
    }

    /** The declared values as recorded on the host for import: no connection settings, no secrets. */
    private String declared(Value planned) {
        Value recorded = planned.withAttribute("host", Value.nullOf(TfType.STRING))
                .withAttribute(
                        SshBlock.NAME,
                        Value.nullOf(planned.attribute(SshBlock.NAME).type()))
                .withAttribute("pid", Value.nullOf(TfType.NUMBER))
                .withAttribute("state", Value.string(ComponentSchema.RUNNING));
        return JsonValues.encode(
                PlanRules.resolveUnknowns(recorded, null), schema().block().type());
    }

    @Override
    public String importIdFormat() {
        return "<host>:<install_dir>/" + kind + "-<listen_port>, with host \"local\" for the machine running "
                + "Terraform (the id attribute of a " + kind + " Terraform created)";
    }

    @Override
    public void importState(Requests.Import request, StateResponse response) {
        String id = request.id();
        int colon = id.indexOf(':');
        String label = colon > 0 ? id.substring(0, colon) : "";
        String home = colon > 0 ? id.substring(colon + 1) : "";
        if (label.isEmpty() || !home.matches("/[A-Za-z0-9._/@+=,-]*/" + kind + "-[0-9]+")) {
            throw new OperatorException(
                    "Invalid import ID \"" + id + "\"",
                    "Expected " + importIdFormat() + ", for example local:/opt/rocketmq/" + kind + "-"
                            + (kind.equals("broker") ? "10911" : "9876") + ".");
        }
        Value hostValue = label.equals(ProviderContext.LOCAL) ? Value.nullOf(TfType.STRING) : Value.string(label);
        Map<String, Value> attrs = new LinkedHashMap<>();
        schema().block().type().attributeTypes().forEach((k, t) -> attrs.put(k, Value.nullOf(t)));
        attrs.put("host", hostValue);
        Value forHost = Value.object(schema().block().type(), attrs);
        byte[] recorded = onHost(forHost, "import", host -> host.readFile(home + "/" + DECLARED))
                .orElseThrow(() -> new OperatorException(
                        "Nothing to import at " + id,
                        "There is no " + kind + " managed by "
                                + "terraform-provider-rocketmq in " + home + " on " + label + " (no " + DECLARED
                                + "). Check the ID: "
                                + importIdFormat() + "."));
        Value state = JsonValues.decode(
                        new String(recorded, StandardCharsets.UTF_8),
                        schema().block().type())
                .withAttribute("host", hostValue);
        response.setState(state);
    }

    private List<String> command(String java, Value planned, String home, InstalledDistribution dist) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        String heap = planned.attribute("jvm_heap").asString();
        cmd.add("-Xms" + heap);
        cmd.add("-Xmx" + heap);
        // Needed by RocketMQ 4.x on Java 17 (mmap cleaner); harmless for 5.x.
        cmd.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
        cmd.add("--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED");
        cmd.add("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
        Value options = planned.attribute("jvm_options");
        if (!options.isNull()) {
            options.elements().forEach(o -> cmd.add(o.asString()));
        }
        cmd.add("-Duser.home=" + home + "/home");
        cmd.add("-Drocketmq.home.dir=" + dist.home());
        cmd.add("-Drmq.logback.configurationFile=" + logbackConfig());
        cmd.add("-cp");
        cmd.add(dist.libDir() + "/*");
        cmd.addAll(mainAndArgs(planned, home));
        return cmd;
    }

    private Optional<String> javaHome(Value planned) {
        Value javaHome = planned.attribute("java_home");
        if (!javaHome.isNull()) {
            return Optional.of(javaHome.asString());
        }
        return context.settings().javaHome();
    }

    @Override
    public void read(Requests.Read request, StateResponse response) {
        Value current = request.current();
        String home = current.attribute("home_dir").asString();
        ProcessStatus status = onHost(current, "read", host -> new ProcessControl(host).status(home));
        if (status instanceof ProcessStatus.Absent) {
            response.markGone();
        } else if (status instanceof ProcessStatus.Running running) {
            response.setState(current.withAttribute("state", Value.string(ComponentSchema.RUNNING))
                    .withAttribute("pid", Value.number(running.pid())));
        } else {
            response.setState(current.withAttribute("state", Value.string(ComponentSchema.STOPPED))
                    .withAttribute("pid", Value.nullOf(TfType.NUMBER)));
        }
    }

    @Override
    public void delete(Requests.Delete request, Diagnostics diagnostics) {
        onHost(request.prior(), "delete", host -> {
            deleteOn(host, request.prior());
            return null;
        });
    }

    private void deleteOn(Host host, Value prior) {
        String home = prior.attribute("home_dir").asString();
        ProcessControl control = new ProcessControl(host);
        control.stop(home, gracefulStop());
        Value deleteData = prior.attribute("delete_data_on_destroy");
        if (!deleteData.isNull() && deleteData.asBool()) {
            for (String dir : dataDirectories(prior)) {
                control.deleteDir(dir);
            }
            control.deleteDir(home);
        } else {
            // Keep config, logs and data; without its launch script the component no longer exists.
            var result = host.exec(List.of("rm", "-f", home + "/launch.sh", home + "/pid"), Duration.ofSeconds(30));
            if (!result.ok()) {
                throw new OperatorException(
                        "Cannot remove the " + kind + "'s launch script",
                        "On " + host.name() + ": rm -f " + home + "/launch.sh failed (exit " + result.exitCode() + "): "
                                + result.stderrTail(5));
            }
        }
    }
}
