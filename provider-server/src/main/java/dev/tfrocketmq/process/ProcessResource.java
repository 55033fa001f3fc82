package dev.tfrocketmq.process;

import dev.tfrocketmq.admin.AdminClients;
import dev.tfrocketmq.admin.AdminCredentials;
import dev.tfrocketmq.context.PlannedComponents;
import dev.tfrocketmq.context.ProviderContext;
import dev.tfrocketmq.context.RestartLocks;
import dev.tfrocketmq.framework.diag.Diagnostic;
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
import dev.tfrocketmq.host.HostLock;
import dev.tfrocketmq.host.LocalHost;
import dev.tfrocketmq.host.OperationCancelledException;
import dev.tfrocketmq.runtime.ComponentSpec;
import dev.tfrocketmq.runtime.DistributionException;
import dev.tfrocketmq.runtime.DistributionInstaller;
import dev.tfrocketmq.runtime.DistributionLocation;
import dev.tfrocketmq.runtime.DistributionSource;
import dev.tfrocketmq.runtime.InstalledDistribution;
import dev.tfrocketmq.runtime.ProcessControl;
import dev.tfrocketmq.runtime.ProcessStatus;
import dev.tfrocketmq.runtime.ProcessStop;
import dev.tfrocketmq.runtime.RocketMqVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * A RocketMQ process on a host, reconciled: the declared state is a set of files plus one process. Read compares what
 * is declared with the rendered config file and with the running process's own config, so that drift of either shows
 * as a change back; apply changes only what differs: keys the running version applies live are sent to the running
 * process, anything else restarts it, in turn with the other restarts of the apply ({@link RollingRestart}). What
 * differs between name servers and brokers is data, in the {@link ProcessKind}.
 */
public final class ProcessResource implements ImportableResource {
    private static final Log LOG = Log.named("component");
    /** Another provider process may be changing the same component on the host (starting a broker takes minutes). */
    private static final Duration COMPONENT_LOCK_WAIT = Duration.ofMinutes(10);

    private static final Duration LEADER_SEARCH = Duration.ofSeconds(3);

    private final ProviderContext context;
    private final ProcessKind kind;
    private final RestartReasons reasons;
    private final LiveConfigs liveConfigs;

    public ProcessResource(ProviderContext context, ProcessKind kind) {
        this.context = Objects.requireNonNull(context, "context");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.reasons = new RestartReasons(kind);
        this.liveConfigs = new LiveConfigs(kind, context::admin);
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
        kind.checks().forEach(check -> check.check(request.config(), diagnostics));
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
        if (request.prior() != null && !request.prior().isNull()) {
            warnIfDataMoves(request.prior(), response);
        }
        PlannedVersion.plan(request.prior(), response, context.environment(), context.downloadCache());
        Value version = response.attribute(PlannedVersion.ATTRIBUTE);
        if (version.isKnown() && !version.isNull()) {
            KeyCheck.check(kind, version.asString(), response.planned(), response.diagnostics());
        }

        AppliedConfig applied = AppliedConfig.decode(request.priorPrivate());
        String token = applied.component().orElseGet(PlannedComponents::newToken);
        boolean restarts = false;
        if (!ProcessSchema.RUNNING.equals(response.attribute("state").asString())) {
            response.setAttribute("pid", Value.nullOf(TfType.NUMBER));
        } else if (request.creating() || !isRunning(request.prior())) {
            response.setAttribute("pid", Value.unknown(TfType.NUMBER));
        } else {
            Optional<PlannedRestart> restart = reasons.atPlan(request.prior(), response.planned(), applied);
            if (restart.isPresent() && restart.get().none()) {
                response.setAttribute("pid", request.prior().attribute("pid"));
            } else {
                response.setAttribute("pid", Value.unknown(TfType.NUMBER));
                restarts = true;
                restart.ifPresent(r -> response.diagnostics()
                        .warning(
                                "The " + kind.name() + " restarts: " + String.join(", ", r.all()),
                                kind.membership().describe(response.planned()) + " on " + label + " ("
                                        + response.attribute("home_dir").asString() + ") restarts: "
                                        + r.explain(request.prior(), response.planned())
                                        + " Restarts roll: one broker of a cluster at a time, slaves before their "
                                        + "master, name servers one at a time."));
            }
        }
        response.setPrivateData(applied.withComponent(token).encode());
        place(Placement.of(kind, response.planned(), token, restarts), response.diagnostics(), request.cancellation());
    }

    /** Registers the component among the plan's others; clashes are errors, a slave without a master a warning. */
    private void place(PlannedComponents.Component component, Diagnostics diagnostics, Cancellation cancellation) {
        List<Diagnostic> clashes = context.planned().place(component);
        clashes.forEach(diagnostics::add);
        Optional<PlannedComponents.Group> group = component.group();
        if (clashes.isEmpty()
                && group.isPresent()
                && group.get().role() == PlannedComponents.Role.FOLLOWER
                && !context.planned().leaderPlanned(group.get(), LEADER_SEARCH, cancellation)) {
            PlannedComponents.Group g = group.get();
            diagnostics.attributeWarning(
                    ValuePath.root().attribute("broker_name"),
                    "No master of broker group " + g.name() + " in this configuration",
                    component.where() + " is a slave of " + g.name() + " in cluster " + g.cluster() + ", but no "
                            + "broker with broker_name " + g.name() + " and broker_id 0 is planned beside it. If the "
                            + "master lives in another configuration, nothing is wrong; otherwise the slave has "
                            + "nothing to replicate: check broker_name and cluster_name.");
        }
    }

    private static boolean isRunning(Value state) {
        return ProcessSchema.RUNNING.equals(state.attribute("state").asString());
    }

    /**
     * A change that gives the component other data directories (a new install directory or port, with store paths left
     * to their defaults) replaces it with one that starts empty; the plan says so loudly, and how to keep the data.
     */
    private void warnIfDataMoves(Value prior, PlanResponse response) {
        List<String> before = kind.dataDirectories().of(prior);
        List<String> moved = new ArrayList<>();
        for (String name : kind.dataDirectories().attributes()) {
            Value was = prior.attribute(name);
            Value will = response.attribute(name);
            if (!was.isNull() && !will.equals(was)) {
                moved.add(name + " = \"" + was.asString() + "\"");
            }
        }
        if (!moved.isEmpty() && !before.isEmpty()) {
            response.diagnostics()
                    .warning(
                            "The " + kind.name() + " will start with an empty store",
                            "This change moves the " + kind.name() + " in "
                                    + prior.attribute("home_dir").asString()
                                    + " to other data directories, so it starts without its messages and topics "
                                    + "(they stay where they are). To keep them, set " + String.join(" and ", moved)
                                    + " in its configuration: the replacement then takes the store over.");
        }
    }

    /** The listen port in a known plan, or -1 while unknown. */
    private static int port(Value values) {
        Value port = values.attribute("listen_port");
        return port.isKnown() && !port.isNull() ? port.asInt() : -1;
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
        AppliedConfig applied = AppliedConfig.decode(response.privateData());
        String token = applied.component().orElseGet(PlannedComponents::newToken);
        // What was unknown at plan is known now: the same checks, before anything is installed or started.
        PlannedComponents.Component component = Placement.of(
                kind,
                planned,
                token,
                prior != null && isRunning(prior) && !planned.attribute("pid").isKnown());
        List<Diagnostic> clashes = context.planned().place(component);
        if (!clashes.isEmpty()) {
            Diagnostic first = clashes.get(0);
            throw new OperatorException(
                    first.summary(), first.detail() + "\nNothing was installed or started.", first.path(), null);
        }
        String home = planned.attribute("home_dir").asString();
        context.planned().applying(token);
        try {
            onHost(planned, "deploy", cancellation, host -> {
                try (HostLock lock = lockComponent(host, home, "deploying the " + kind.name() + " in " + home)) {
                    deployOn(host, planned, prior, applied.withComponent(token), component, response, cancellation);
                }
                return null;
            });
        } finally {
            context.planned().done(token);
        }
    }

    /**
     * Runs host work bound to the call's cancellation, turning transport and command failures into diagnostics that
     * name the host. Once the call is cancelled, whatever the work failed with says that it was stopped.
     */
    private <T> T onHost(Value values, String doing, Cancellation cancellation, Function<Host, T> work) {
        String label = ProviderContext.hostLabel(values);
        try {
            return work.apply(context.host(values).withCancellation(cancellation));
        } catch (RuntimeException e) {
            if (cancellation.isCancelled()) {
                String what = e instanceof OperationCancelledException
                        ? e.getMessage() + "."
                        : "Terraform asked the provider to stop (" + e.getMessage() + ").";
                throw new OperatorException(
                        "Stopped before the " + kind.name() + " on " + label + " was done",
                        what + " What was done so far is recorded; run the command again to finish.",
                        e);
            }
            if (e instanceof HostException || e instanceof DistributionException) {
                throw new OperatorException(
                        "Cannot " + doing + " the " + kind.name() + " on " + label,
                        e.getMessage() + "\nThe state was left as it was; fix the cause and run the command again.",
                        e);
            }
            throw e;
        }
    }

    /**
     * The host-side lock on one component ({@code <install_dir>/.locks/<kind>-<port>}): two provider processes never
     * change the same component at once.
     */
    private static HostLock lockComponent(Host host, String home, String purpose) {
        int slash = home.lastIndexOf('/');
        String lockFile = home.substring(0, Math.max(slash, 0)) + "/.locks/" + home.substring(slash + 1);
        return HostLock.acquire(host, lockFile, purpose, COMPONENT_LOCK_WAIT);
    }

    private void deployOn(
            Host host,
            Value plannedIn,
            Value prior,
            AppliedConfig applied,
            PlannedComponents.Component component,
            StateResponse response,
            Cancellation cancellation) {
        String home = plannedIn.attribute("home_dir").asString();
        Path archive = archive(plannedIn);
        Optional<RocketMqVersion> version = PlannedVersion.atApply(plannedIn, archive);
        Value planned = plannedIn;
        if (!plannedIn.attribute(PlannedVersion.ATTRIBUTE).isKnown()) {
            planned = plannedIn.withAttribute(
                    PlannedVersion.ATTRIBUTE,
                    version.map(v -> Value.string(v.toString())).orElse(Value.nullOf(TfType.STRING)));
            if (version.isPresent()) {
                Diagnostics keys = new Diagnostics();
                KeyCheck.check(kind, version.get().toString(), planned, keys);
                keys.all().stream().filter(d -> !d.isError()).forEach(response.diagnostics()::add);
                Optional<Diagnostic> error =
                        keys.all().stream().filter(Diagnostic::isError).findFirst();
                if (error.isPresent()) {
                    throw new OperatorException(
                            error.get().summary(),
                            error.get().detail() + "\nNothing was installed or started.",
                            error.get().path(),
                            null);
                }
            }
        }
        ProcessControl control = new ProcessControl(host);
        InstalledDistribution dist = install(host, planned, archive);
        String javaPath = JavaCheck.resolve(host, javaHome(planned), host instanceof LocalHost);
        // The state and its private data keep only the declared entries: those of authentication derive from the
        // admin secret and reach nothing but the file on the host.
        Map<String, String> desired = kind.config().entries(planned);
        Optional<AdminCredentials> credentials = context.admin().credentials();
        Map<String, String> entries = new LinkedHashMap<>(desired);
        entries.putAll(kind.authentication().entries(planned, credentials));
        ComponentSpec spec = new ComponentSpec(
                home,
                Map.of(kind.main().configFile(), kind.config().render(entries)),
                JvmCommand.of(javaPath, planned, home, dist, kind.main(), version),
                Map.of());
        // A first deploy finds no directory yet: nothing runs there.
        ProcessStatus status = control.running(home).<ProcessStatus>map(r -> r).orElseGet(ProcessStatus.Stopped::new);
        boolean running = status instanceof ProcessStatus.Running;
        boolean wanted = ProcessSchema.RUNNING.equals(planned.attribute("state").asString());
        boolean pidPlanned = planned.attribute("pid").isKnown();

        ConfigChange change = null;
        if (running && wanted && prior != null) {
            change = reasons.atApply(planned, prior, applied, desired, liveConfigs.read(prior, host));
            if (pidPlanned && change.restart()) {
                throw new OperatorException(
                        "The " + kind.name() + " now needs a restart the plan did not show",
                        "Since the plan, the running " + kind.name() + " in " + home + " on " + host.name()
                                + " changed: " + String.join(", ", change.restartKeys()) + " differ from the "
                                + "declared values and only a restart applies them. Nothing was changed; run "
                                + "terraform plan again to see the restart.");
            }
        }

        // Before anything starts: data directories are this component's, or not shared with another one that exists.
        for (String dir : kind.dataDirectories().of(planned)) {
            ProcessControl.DataClaim claim = control.claimData(dir, home);
            if (claim == ProcessControl.DataClaim.ADOPTED) {
                LOG.info("data directory taken over from a replaced component", "dir", dir, "home", home);
            }
        }
        control.writeFiles(spec);
        host.writeFile(
                home + "/" + DeclaredValues.FILE,
                DeclaredValues.encode(planned, schema().block().type()),
                0600);
        response.setPrivateData(applied.withApplied(desired).encode());
        if (!wanted) {
            stop(host, planned, home);
            response.setState(planned);
            return;
        }
        if (change != null && !change.restart()) {
            long pid = ((ProcessStatus.Running) status).pid();
            // Files now describe the plan; the process keeps running with its pid whatever happens next.
            response.setState(planned.withAttribute("pid", Value.number(pid)));
            if (!change.live().isEmpty()) {
                liveConfigs.apply(host, prior, home, change.live());
            }
            return;
        }
        // Files now describe the plan; the state follows reality from here on.
        response.setState(planned.withAttribute("pid", Value.nullOf(TfType.NUMBER))
                .withAttribute("state", Value.string(ProcessSchema.STOPPED)));
        try (RestartLocks.Lease turn = running ? RollingRestart.turn(context, component, cancellation) : null) {
            ProcessKind.Restart restart = ProcessKind.Restart.NOTHING;
            if (running) {
                Value runningAs = prior == null ? planned : prior;
                restart = kind.stopping()
                        .beforeStop(new StartedProcess(runningAs, host, control, home, context.admin()), cancellation);
                LOG.info("restarting " + kind.name(), "home", home, "host", host.name());
            }
            try {
                if (running) {
                    stop(host, prior == null ? planned : prior, home);
                }
                PortPreflight.requireFree(
                        host,
                        ProviderContext.hostAddress(planned),
                        kind.endpoints().ports(planned).stream()
                                .map(ProcessKind.Port::number)
                                .toList(),
                        kind.name(),
                        home);
                control.start(spec);
                AdminClients admin = context.admin().as(kind.authentication().readiness(planned, credentials));
                StartedProcess started = new StartedProcess(planned, host, control, home, admin);
                kind.readiness().await(started, cancellation);
                kind.authentication().afterReady(started, credentials);
                if (!(control.status(home) instanceof ProcessStatus.Running now)) {
                    throw new OperatorException(
                            "The " + kind.name() + " stopped right after starting",
                            "On " + host.name() + ", " + home + " exited. Last lines of its console log:\n"
                                    + control.logTail(home, 30));
                }
                LOG.info("started " + kind.name(), "home", home, "host", host.name(), "pid", now.pid());
                response.setState(planned.withAttribute("pid", Value.number(now.pid())));
                restart.afterStart(started, cancellation);
            } catch (RuntimeException e) {
                restart.undo();
                throw e;
            }
        }
    }

    /** Stops the process of {@code home}, cutting RocketMQ's shutdown short once the kind's markers allow it. */
    private void stop(Host host, Value state, String home) {
        ProcessStop.Outcome outcome = ProcessStop.stop(
                host, home, kind.gracefulStop(), kind.stopping().markers(state));
        if (outcome.how() != ProcessStop.How.NOT_RUNNING) {
            LOG.info(
                    "stopped " + kind.name(),
                    "home",
                    home,
                    "host",
                    host.name(),
                    "pid",
                    outcome.pid(),
                    "how",
                    outcome.how().name().toLowerCase(Locale.ROOT),
                    "millis",
                    outcome.took().toMillis());
        }
    }

    /** The planned distribution as a local archive (downloaded if it is a URL). */
    private Path archive(Value planned) {
        String sha = planned.attribute("distribution_sha256").asString();
        DistributionLocation location =
                DistributionLocation.parse(planned.attribute("distribution").asString(), context.environment());
        return DistributionSource.resolve(location, sha, context.downloadCache());
    }

    /** The archive, installed on the host (uploaded only if that version is not there yet). */
    private InstalledDistribution install(Host host, Value planned, Path archive) {
        String sha = planned.attribute("distribution_sha256").asString();
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
        byte[] recorded = onHost(
                        forHost,
                        "import",
                        request.cancellation(),
                        host -> host.readFile(home + "/" + DeclaredValues.FILE))
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
        record Found(ProcessStatus status, Optional<Map<String, String>> file, Optional<Map<String, String>> live) {}
        Found found = onHost(current, "read", request.cancellation(), host -> {
            // A process the state knows as running is most likely still running: ask it for its config while the
            // host is asked about its status, and drop the answer if it is not.
            Future<LiveConfigs.Attempt> early = isRunning(current) ? liveConfigs.start(current, host) : null;
            ProcessStatus status;
            Optional<Map<String, String>> file;
            try {
                status = new ProcessControl(host).status(home);
                file = status instanceof ProcessStatus.Absent
                        ? Optional.empty()
                        : host.readFile(home + "/conf/" + kind.main().configFile())
                                .map(kind.config()::parse);
            } catch (RuntimeException e) {
                drop(early);
                throw e;
            }
            if (!(status instanceof ProcessStatus.Running)) {
                drop(early);
                return new Found(status, file, Optional.empty());
            }
            LiveConfigs.Attempt attempt =
                    early == null ? liveConfigs.attempt(current, host) : joined(early, current, host);
            attempt.problem()
                    .ifPresent(problem -> response.diagnostics()
                            .warning(
                                    "Cannot read the running " + kind.name() + "'s config",
                                    "The " + kind.name() + " in " + home + " on " + host.name() + " runs but did not "
                                            + "answer the request for its config (" + problem + "), so a change made "
                                            + "to it live is not seen in this plan; the rendered file was compared."));
            return new Found(status, file, attempt.config());
        });
        if (found.status() instanceof ProcessStatus.Absent) {
            response.markGone();
            return;
        }
        Map<String, String> rendered = kind.config().entries(current);
        Map<String, String> observed = new TreeMap<>(found.file().orElse(Map.of()));
        // Keys of authentication derive from the admin secret: never compared, never reflected into the state.
        observed.keySet().removeAll(kind.authentication().keys());
        found.live()
                .ifPresent(live -> rendered.forEach((key, value) -> {
                    if (live.containsKey(key) && !ConfigValues.same(live.get(key), value)) {
                        observed.put(key, live.get(key));
                    }
                }));
        Value state = ObservedConfig.reflect(
                current, rendered, observed, kind.config().attributeKeys(), schema().block());
        if (found.status() instanceof ProcessStatus.Running running) {
            state = state.withAttribute("state", Value.string(ProcessSchema.RUNNING))
                    .withAttribute("pid", Value.number(running.pid()));
        } else {
            state = state.withAttribute("state", Value.string(ProcessSchema.STOPPED))
                    .withAttribute("pid", Value.nullOf(TfType.NUMBER));
        }
        response.setState(state);
        AppliedConfig applied = AppliedConfig.decode(request.privateData());
        Map<String, String> last = applied.applied().isEmpty() ? rendered : applied.applied();
        Map<String, String> running = new TreeMap<>();
        found.live().ifPresent(live -> last.forEach((key, value) -> running.put(key, live.getOrDefault(key, value))));
        response.setPrivateData(applied.withRunning(running).encode());
    }

    private static void drop(Future<?> early) {
        if (early != null) {
            early.cancel(false);
        }
    }

    /** The early read's outcome; read again now if it failed in an unexpected way. */
    private LiveConfigs.Attempt joined(Future<LiveConfigs.Attempt> early, Value state, Host host) {
        try {
            return early.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return liveConfigs.attempt(state, host);
        } catch (ExecutionException | CancellationException e) {
            return liveConfigs.attempt(state, host);
        }
    }

    @Override
    public void delete(Requests.Delete request, Diagnostics diagnostics) {
        String home = request.prior().attribute("home_dir").asString();
        onHost(request.prior(), "delete", request.cancellation(), host -> {
            try (HostLock lock = lockComponent(host, home, "deleting the " + kind.name() + " in " + home)) {
                deleteOn(host, request.prior(), diagnostics);
            }
            return null;
        });
    }

    private void deleteOn(Host host, Value prior, Diagnostics diagnostics) {
        String home = prior.attribute("home_dir").asString();
        ProcessControl control = new ProcessControl(host);
        stop(host, prior, home);
        Value deleteData = prior.attribute("delete_data_on_destroy");
        if (!deleteData.isNull() && deleteData.asBool()) {
            List<String> kept = new ArrayList<>();
            for (String dir : kind.dataDirectories().of(prior)) {
                if (!control.deleteData(dir, home)) {
                    kept.add(dir);
                }
            }
            if (!kept.isEmpty()) {
                diagnostics.warning(
                        "Data of the " + kind.name() + " kept on " + host.name(),
                        "delete_data_on_destroy is set, but " + String.join(", ", kept) + " did not carry the mark of "
                                + "this " + kind.name() + " (" + ProcessControl.DATA_MARKER + " naming " + home
                                + "): the provider did not create it for this component, so it may hold data of "
                                + "something else. Delete it by hand if it is yours to delete.");
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
