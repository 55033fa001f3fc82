package dev.tfrocketmq.process;

import dev.tfrocketmq.admin.AdminClients;
import dev.tfrocketmq.admin.AdminCredentials;
import dev.tfrocketmq.context.ProviderContext;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.framework.resource.ImportableResource;
import dev.tfrocketmq.framework.resource.PlanResponse;
import dev.tfrocketmq.framework.resource.Requests;
import dev.tfrocketmq.framework.resource.StateResponse;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import dev.tfrocketmq.host.Host;
import dev.tfrocketmq.host.HostException;
import dev.tfrocketmq.host.LocalHost;
import dev.tfrocketmq.runtime.ComponentSpec;
import dev.tfrocketmq.runtime.DistributionInstaller;
import dev.tfrocketmq.runtime.DistributionLocation;
import dev.tfrocketmq.runtime.DistributionSource;
import dev.tfrocketmq.runtime.InstalledDistribution;
import dev.tfrocketmq.runtime.ProcessControl;
import dev.tfrocketmq.runtime.ProcessStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A RocketMQ process on a host, reconciled: the declared state is a set of files plus one process. Read compares what
 * is there with what is declared; apply changes only what differs. What differs between name servers and brokers is
 * data, in the {@link ProcessKind}.
 */
public final class ProcessResource implements ImportableResource {
    private static final Log LOG = Log.named("component");

    private final ProviderContext context;
    private final ProcessKind kind;

    public ProcessResource(ProviderContext context, ProcessKind kind) {
        this.context = Objects.requireNonNull(context, "context");
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    @Override
    public String typeName() {
        return kind.typeName();
    }

    @Override
    public Schema schema() {
        return kind.schema();
    }

    @Override
    public void validate(Requests.Validate request, Diagnostics diagnostics) {
        checkProperties(request.config(), diagnostics);
        kind.checks().forEach(check -> check.check(request.config(), diagnostics));
    }

    private void checkProperties(Value config, Diagnostics diagnostics) {
        Value props = config.attribute("properties");
        KnownKeys known = kind.knownKeys();
        if (!props.isKnown() || props.isNull() || !known.available()) {
            return;
        }
        for (String key : props.entries().keySet()) {
            if (!known.contains(key)) {
                diagnostics.attributeError(
                        ValuePath.root().attribute("properties").key(key),
                        "Unknown " + kind.name() + " property " + key,
                        "RocketMQ 5.3 has no " + kind.name() + " setting named " + key + " and would ignore it "
                                + "silently."
                                + known.suggest(key)
                                        .map(s -> " Did you mean " + s + "?")
                                        .orElse("")
                                + " Fix or remove the key.");
            }
        }
    }

    @Override
    public void modifyPlan(Requests.Plan request, PlanResponse response) {
        Value planned = response.planned();
        Value installDir = planned.attribute("install_dir");
        int port = port(planned);
        String label = ProviderContext.hostLabel(planned);
        String hostAddress = ProviderContext.hostAddress(planned);
        if (installDir.isKnown() && port > 0) {
            String home = installDir.asString() + "/" + kind.name() + "-" + port;
            response.setAttribute("home_dir", Value.string(home));
            if (label != null) {
                response.setAttribute("id", Value.string(label + ":" + home));
            }
        }
        ArchiveDigest.plan(request.config(), response, context.environment());
        kind.versions()
                .of(response.planned())
                .ifPresent(r -> DistributionCheck.require(r, kind.typeName(), response, context.environment()));
        kind.planDefaults().forEach(defaults -> defaults.fill(request.config(), response, hostAddress));
        String address = hostAddress == null || port(response.planned()) <= 0
                ? null
                : kind.endpoints().address(response.planned(), hostAddress);
        if (address != null) {
            response.setAttribute("address", Value.string(address));
        }
        if (!ProcessSchema.RUNNING.equals(response.attribute("state").asString())) {
            response.setAttribute("pid", Value.nullOf(TfType.NUMBER));
        } else if (request.creating() || needsRestart(request.prior(), response.planned())) {
            response.setAttribute("pid", Value.unknown(TfType.NUMBER));
        } else {
            response.setAttribute("pid", request.prior().attribute("pid"));
        }
    }

    /** The listen port in a known plan, or -1 while unknown. */
    private static int port(Value values) {
        Value port = values.attribute("listen_port");
        return port.isKnown() && !port.isNull() ? port.asInt() : -1;
    }

    private boolean needsRestart(Value prior, Value planned) {
        for (String name : kind.restartAttributes()) {
            if (!Objects.equals(prior.attribute(name), planned.attribute(name))) {
                return true;
            }
        }
        return !ProcessSchema.RUNNING.equals(prior.attribute("state").asString());
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
    private <T> T onHost(Value values, String doing, Function<Host, T> work) {
        String label = ProviderContext.hostLabel(values);
        try {
            return work.apply(context.host(values));
        } catch (HostException e) {
            throw new OperatorException(
                    "Cannot " + doing + " the " + kind.name() + " on " + label,
                    e.getMessage() + "\nThe state was left as it was; fix the cause and run the command again.",
                    e);
        }
    }

    private void deployOn(Host host, Value planned, Value prior, StateResponse response, Cancellation cancellation) {
        String home = planned.attribute("home_dir").asString();
        ProcessControl control = new ProcessControl(host);
        InstalledDistribution dist = install(host, planned);
        String javaPath = JavaCheck.resolve(host, javaHome(planned), host instanceof LocalHost);
        Optional<AdminCredentials> credentials = context.admin().credentials();
        Map<String, String> entries = new LinkedHashMap<>(kind.config().entries(planned));
        entries.putAll(kind.authentication().entries(planned, credentials));
        ComponentSpec spec = new ComponentSpec(
                home,
                Map.of(kind.main().configFile(), kind.config().render(entries)),
                JvmCommand.of(javaPath, planned, home, dist, kind.main()),
                Map.of());
        boolean restart = prior == null || needsRestart(prior, planned);
        boolean changed = control.writeFiles(spec);
        host.writeFile(
                home + "/" + DeclaredValues.FILE,
                DeclaredValues.encode(planned, schema().block().type()),
                0600);
        // Files now describe the plan; the state follows reality from here on.
        response.setState(planned.withAttribute("pid", Value.nullOf(TfType.NUMBER))
                .withAttribute("state", Value.string(ProcessSchema.STOPPED)));
        ProcessStatus status = control.status(home);
        if (!ProcessSchema.RUNNING.equals(planned.attribute("state").asString())) {
            control.stop(home, kind.gracefulStop());
            response.setState(planned);
            return;
        }
        if (status instanceof ProcessStatus.Running running && !restart && !changed) {
            response.setState(planned.withAttribute("pid", Value.number(running.pid())));
            return;
        }
        if (status instanceof ProcessStatus.Running) {
            LOG.info("restarting " + kind.name(), "home", home);
            control.stop(home, kind.gracefulStop());
        }
        PortPreflight.requireFree(
                host, ProviderContext.hostAddress(planned), kind.endpoints().ports(planned), kind.name(), home);
        control.start(spec);
        AdminClients admin = context.admin().as(kind.authentication().readiness(planned, credentials));
        StartedProcess started = new StartedProcess(planned, host, control, home, admin);
        kind.readiness().await(started, cancellation);
        kind.authentication().afterReady(started, credentials);
        if (!(control.status(home) instanceof ProcessStatus.Running running)) {
            throw new OperatorException(
                    "The " + kind.name() + " stopped right after starting",
                    "On " + host.name() + ", " + home + " exited. Last lines of its console log:\n"
                            + control.logTail(home, 30));
        }
        response.setState(planned.withAttribute("pid", Value.number(running.pid())));
    }

    /** The planned distribution, installed on the host (uploaded only if that version is not there yet). */
    private InstalledDistribution install(Host host, Value planned) {
        String sha = planned.attribute("distribution_sha256").asString();
        DistributionLocation location =
                DistributionLocation.parse(planned.attribute("distribution").asString(), context.environment());
        Path archive = DistributionSource.resolve(location, sha, context.downloadCache());
        DistributionInstaller installer = context.installer();
        return installer.ensureInstalled(host, planned.attribute("install_dir").asString(), archive, sha);
    }

    private Optional<String> javaHome(Value planned) {
        Value javaHome = planned.attribute("java_home");
        if (!javaHome.isNull()) {
            return Optional.of(javaHome.asString());
        }
        return context.settings().javaHome();
    }

    @Override
    public String importIdFormat() {
        return "<host>:<install_dir>/" + kind.name() + "-<listen_port>, with host \"local\" for the machine running "
                + "Terraform (the id attribute of a " + kind.name() + " Terraform created)";
    }

    @Override
    public void importState(Requests.Import request, StateResponse response) {
        String id = request.id();
        int colon = id.indexOf(':');
        String label = colon > 0 ? id.substring(0, colon) : "";
        String home = colon > 0 ? id.substring(colon + 1) : "";
        if (label.isEmpty() || !home.matches("/[A-Za-z0-9._/@+=,-]*/" + kind.name() + "-[0-9]+")) {
            throw new OperatorException(
                    "Invalid import ID \"" + id + "\"",
                    "Expected " + importIdFormat() + ", for example local:/opt/rocketmq/" + kind.name() + "-"
                            + kind.defaultPort() + ".");
        }
        Value hostValue = label.equals(ProviderContext.LOCAL) ? Value.nullOf(TfType.STRING) : Value.string(label);
        TfType.ObjectType type = schema().block().type();
        Map<String, Value> attrs = new LinkedHashMap<>();
        type.attributeTypes().forEach((k, t) -> attrs.put(k, Value.nullOf(t)));
        attrs.put("host", hostValue);
        Value forHost = Value.object(type, attrs);
        byte[] recorded = onHost(forHost, "import", host -> host.readFile(home + "/" + DeclaredValues.FILE))
                .orElseThrow(() -> new OperatorException(
                        "Nothing to import at " + id,
                        "There is no " + kind.name() + " managed by "
                                + "terraform-provider-rocketmq in " + home + " on " + label + " (no "
                                + DeclaredValues.FILE + "). Check the ID: " + importIdFormat() + "."));
        response.setState(DeclaredValues.decode(recorded, type, hostValue));
    }

    @Override
    public void read(Requests.Read request, StateResponse response) {
        Value current = request.current();
        String home = current.attribute("home_dir").asString();
        ProcessStatus status = onHost(current, "read", host -> new ProcessControl(host).status(home));
        if (status instanceof ProcessStatus.Absent) {
            response.markGone();
        } else if (status instanceof ProcessStatus.Running running) {
            response.setState(current.withAttribute("state", Value.string(ProcessSchema.RUNNING))
                    .withAttribute("pid", Value.number(running.pid())));
        } else {
            response.setState(current.withAttribute("state", Value.string(ProcessSchema.STOPPED))
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
        control.stop(home, kind.gracefulStop());
        Value deleteData = prior.attribute("delete_data_on_destroy");
        if (!deleteData.isNull() && deleteData.asBool()) {
            for (String dir : kind.dataDirectories().of(prior)) {
                control.deleteDir(dir);
            }
            control.deleteDir(home);
        } else {
            // Keep config, logs and data; without its launch script the component no longer exists.
            var result = host.exec(List.of("rm", "-f", home + "/launch.sh", home + "/pid"), Duration.ofSeconds(30));
            if (!result.ok()) {
                throw new OperatorException(
                        "Cannot remove the " + kind.name() + "'s launch script",
                        "On " + host.name() + ": rm -f " + home + "/launch.sh failed (exit " + result.exitCode() + "): "
                                + result.stderrTail(5));
            }
        }
    }
}
