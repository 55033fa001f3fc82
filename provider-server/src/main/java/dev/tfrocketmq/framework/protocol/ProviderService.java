package dev.tfrocketmq.framework.protocol;

import com.google.common.base.Suppliers;
import com.google.protobuf.ByteString;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.framework.resource.DataSource;
import dev.tfrocketmq.framework.resource.ImportableResource;
import dev.tfrocketmq.framework.resource.Lifecycle;
import dev.tfrocketmq.framework.resource.Provider;
import dev.tfrocketmq.framework.resource.Requests;
import dev.tfrocketmq.framework.resource.Resource;
import dev.tfrocketmq.framework.resource.StateResponse;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.value.JsonValues;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValueCodecException;
import dev.tfrocketmq.tfplugin6.ProviderGrpc;
import dev.tfrocketmq.tfplugin6.Tfplugin6;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The tfplugin6 Provider service. Each RPC converts its request, runs the framework, converts the answer back;
 * failures travel as diagnostics, never as gRPC errors (which would make Terraform lose the state it holds).
 *
 * <p>One service serves every Terraform session of the process: each call runs against the provider instance of the
 * session that made it ({@link ProviderSession}), with that session's log sink, and with a cancellation that fires on
 * the session's StopProvider or when Terraform abandons the call.
 */
public final class ProviderService extends ProviderGrpc.ProviderImplBase {
    private static final Log LOG = Log.named("protocol");

    private final Supplier<ProviderSession> sessions;
    private final String pluginName;
    private final Supplier<Tfplugin6.GetProviderSchema.Response> schemaResponse;

    /**
     * @param prototype a provider instance to take the schemas from (every session's provider has the same ones)
     * @param pluginName the plugin's executable name, for messages that ask the user to report a defect
     * @param sessions the session of the calling Terraform, or null when the call came from outside any session
     */
    public ProviderService(Provider prototype, String pluginName, Supplier<ProviderSession> sessions) {
        this(() -> prototype, pluginName, sessions);
    }

    /**
     * As {@link #ProviderService(Provider, String, Supplier)}, with the prototype made on first need (the schema
     * answer), so that a backend can listen before it has built its resources.
     */
    public ProviderService(Supplier<Provider> prototype, String pluginName, Supplier<ProviderSession> sessions) {
        this.sessions = sessions;
        this.pluginName = pluginName;
        this.schemaResponse = Suppliers.memoize(() -> schemaResponse(prototype.get()));
    }

    /** Builds the schema answer now (in the background of a backend that has just started) rather than on the call. */
    public void prepare() {
        schemaResponse.get();
    }

    /** A service whose every call runs against {@code provider}, logging to the process's default sink. */
    public static ProviderService single(Provider provider, String pluginName) {
        ProviderSession session = ProviderSession.of(provider);
        return new ProviderService(provider, pluginName, () -> session);
    }

    /** The GetProviderSchema answer, identical for every session (the launcher may serve a snapshot of it). */
    public static Tfplugin6.GetProviderSchema.Response schemaResponse(Provider provider) {
        Tfplugin6.GetProviderSchema.Response.Builder b = Tfplugin6.GetProviderSchema.Response.newBuilder()
                .setProvider(Convert.schema(provider.schema()))
                .setServerCapabilities(Tfplugin6.ServerCapabilities.newBuilder()
                        .setPlanDestroy(false)
                        .setGetProviderSchemaOptional(false)
                        .setMoveResourceState(false));
        provider.resources().forEach(r -> b.putResourceSchemas(r.typeName(), Convert.schema(r.schema())));
        provider.dataSources().forEach(d -> b.putDataSourceSchemas(d.typeName(), Convert.schema(d.schema())));
        return b.build();
    }

    @Override
    public void getProviderSchema(
            Tfplugin6.GetProviderSchema.Request request, StreamObserver<Tfplugin6.GetProviderSchema.Response> out) {
        out.onNext(schemaResponse.get());
        out.onCompleted();
    }

    @Override
    public void validateProviderConfig(
            Tfplugin6.ValidateProviderConfig.Request request,
            StreamObserver<Tfplugin6.ValidateProviderConfig.Response> out) {
        reply(out, "ValidateProviderConfig", "", c -> {
            Diagnostics d = new Diagnostics();
            Value config = decode(d, request.getConfig(), c.provider().schema());
            if (config != null) {
                Lifecycle.validate(
                        c.provider().schema().block(),
                        config,
                        () -> c.provider().validate(new Requests.Validate(config), d),
                        d);
            }
            return Tfplugin6.ValidateProviderConfig.Response.newBuilder()
                    .addAllDiagnostics(Convert.diagnostics(d))
                    .build();
        });
    }

    @Override
    public void validateResourceConfig(
            Tfplugin6.ValidateResourceConfig.Request request,
            StreamObserver<Tfplugin6.ValidateResourceConfig.Response> out) {
        reply(out, "ValidateResourceConfig", request.getTypeName(), c -> {
            Diagnostics d = new Diagnostics();
            Resource r = c.resource(request.getTypeName(), d);
            if (r != null) {
                Value config = decode(d, request.getConfig(), r.schema());
                if (config != null) {
                    Lifecycle.validateResource(
                            r.schema().block(),
                            config,
                            request.getClientCapabilities().getWriteOnlyAttributesAllowed(),
                            () -> r.validate(new Requests.Validate(config), d),
                            d);
                }
            }
            return Tfplugin6.ValidateResourceConfig.Response.newBuilder()
                    .addAllDiagnostics(Convert.diagnostics(d))
                    .build();
        });
    }

    @Override
    public void validateDataResourceConfig(
            Tfplugin6.ValidateDataResourceConfig.Request request,
            StreamObserver<Tfplugin6.ValidateDataResourceConfig.Response> out) {
        reply(out, "ValidateDataResourceConfig", request.getTypeName(), c -> {
            Diagnostics d = new Diagnostics();
            DataSource ds = c.dataSource(request.getTypeName(), d);
            if (ds != null) {
                Value config = decode(d, request.getConfig(), ds.schema());
                if (config != null) {
                    Lifecycle.validate(
                            ds.schema().block(), config, () -> ds.validate(new Requests.Validate(config), d), d);
                }
            }
            return Tfplugin6.ValidateDataResourceConfig.Response.newBuilder()
                    .addAllDiagnostics(Convert.diagnostics(d))
                    .build();
        });
    }

    @Override
    public void upgradeResourceState(
            Tfplugin6.UpgradeResourceState.Request request,
            StreamObserver<Tfplugin6.UpgradeResourceState.Response> out) {
        reply(out, "UpgradeResourceState", request.getTypeName(), c -> {
            Diagnostics d = new Diagnostics();
            Tfplugin6.UpgradeResourceState.Response.Builder b = Tfplugin6.UpgradeResourceState.Response.newBuilder();
            Resource r = c.resource(request.getTypeName(), d);
            if (r != null) {
                Schema schema = r.schema();
                if (request.getVersion() > schema.version()) {
                    d.error(
                            "State written by a newer provider",
                            "The state of this " + r.typeName() + " has schema version " + request.getVersion()
                                    + " but this provider knows version " + schema.version()
                                    + ". Use the provider version that wrote the state, or a newer one.");
                } else if (request.getRawState().getJson().isEmpty()) {
                    d.error(
                            "Unsupported state format",
                            "The state of this " + r.typeName() + " is in the pre-0.12 flatmap format, which this "
                                    + "provider cannot read. Re-import the object instead.");
                } else {
                    try {
                        Value state = JsonValues.decode(
                                request.getRawState().getJson().toStringUtf8(),
                                schema.block().type());
                        b.setUpgradedState(Convert.dynamic(state, schema.block().type()));
                    } catch (ValueCodecException e) {
                        d.error(
                                "Cannot read stored state of " + r.typeName(),
                                e.getMessage()
                                        + ". The state file may have been edited by hand; restore it or re-import the object.");
                    }
                }
            }
            return b.addAllDiagnostics(Convert.diagnostics(d)).build();
        });
    }

    @Override
    public void configureProvider(
            Tfplugin6.ConfigureProvider.Request request, StreamObserver<Tfplugin6.ConfigureProvider.Response> out) {
        reply(out, "ConfigureProvider", "", c -> {
            Diagnostics d = new Diagnostics();
            Value config = decode(d, request.getConfig(), c.provider().schema());
            if (config != null) {
                Lifecycle.guard(d, "configuring the provider", () -> {
                    c.provider().configure(config, d);
                    return null;
                });
            }
            return Tfplugin6.ConfigureProvider.Response.newBuilder()
                    .addAllDiagnostics(Convert.diagnostics(d))
                    .build();
        });
    }

    @Override
    public void readResource(
            Tfplugin6.ReadResource.Request request, StreamObserver<Tfplugin6.ReadResource.Response> out) {
        reply(out, "ReadResource", request.getTypeName(), c -> {
            Diagnostics d = new Diagnostics();
            Tfplugin6.ReadResource.Response.Builder b = Tfplugin6.ReadResource.Response.newBuilder()
                    .setNewState(request.getCurrentState())
                    .setPrivate(request.getPrivate());
            Resource r = c.resource(request.getTypeName(), d);
            Value current = r == null ? null : decode(d, request.getCurrentState(), r.schema());
            if (current != null) {
                TfType type = r.schema().block().type();
                if (current.isNull()) {
                    b.setNewState(Convert.dynamic(current, type));
                } else {
                    Lifecycle.StateOutcome o =
                            Lifecycle.read(r, current, request.getPrivate().toByteArray(), c.cancellation());
                    d.addAll(o.diagnostics());
                    b.setNewState(Convert.dynamic(o.state(), type)).setPrivate(ByteString.copyFrom(o.privateData()));
                }
            }
            return b.addAllDiagnostics(Convert.diagnostics(d)).build();
        });
    }

    @Override
    public void planResourceChange(
            Tfplugin6.PlanResourceChange.Request request, StreamObserver<Tfplugin6.PlanResourceChange.Response> out) {
        reply(out, "PlanResourceChange", request.getTypeName(), c -> {
            Diagnostics d = new Diagnostics();
            Tfplugin6.PlanResourceChange.Response.Builder b = Tfplugin6.PlanResourceChange.Response.newBuilder()
                    .setPlannedState(request.getProposedNewState())
                    .setPlannedPrivate(request.getPriorPrivate());
            Resource r = c.resource(request.getTypeName(), d);
            if (r != null) {
                Value prior = decode(d, request.getPriorState(), r.schema());
                Value proposed = decode(d, request.getProposedNewState(), r.schema());
                Value config = decode(d, request.getConfig(), r.schema());
                if (prior != null && proposed != null && config != null) {
                    Lifecycle.PlanOutcome o = Lifecycle.plan(
                            r,
                            prior,
                            proposed,
                            config,
                            request.getPriorPrivate().toByteArray(),
                            c.cancellation());
                    d.addAll(o.diagnostics());
                    b.setPlannedState(Convert.dynamic(
                                    o.planned(), r.schema().block().type()))
                            .addAllRequiresReplace(Convert.paths(o.requiresReplace()))
                            .setPlannedPrivate(ByteString.copyFrom(o.privateData()));
                }
            }
            return b.addAllDiagnostics(Convert.diagnostics(d)).build();
        });
    }

    @Override
    public void applyResourceChange(
            Tfplugin6.ApplyResourceChange.Request request, StreamObserver<Tfplugin6.ApplyResourceChange.Response> out) {
        reply(out, "ApplyResourceChange", request.getTypeName(), c -> {
            Diagnostics d = new Diagnostics();
            Tfplugin6.ApplyResourceChange.Response.Builder b = Tfplugin6.ApplyResourceChange.Response.newBuilder()
                    .setNewState(request.getPriorState())
                    .setPrivate(request.getPlannedPrivate());
            Resource r = c.resource(request.getTypeName(), d);
            if (r != null) {
                Value prior = decode(d, request.getPriorState(), r.schema());
                Value planned = decode(d, request.getPlannedState(), r.schema());
                Value config = decode(d, request.getConfig(), r.schema());
                if (prior != null && planned != null && config != null) {
                    Lifecycle.StateOutcome o = Lifecycle.apply(
                            r,
                            prior,
                            planned,
                            config,
                            request.getPlannedPrivate().toByteArray(),
                            c.cancellation());
                    d.addAll(o.diagnostics());
                    b.setNewState(Convert.dynamic(o.state(), r.schema().block().type()))
                            .setPrivate(ByteString.copyFrom(o.privateData()));
                }
            }
            return b.addAllDiagnostics(Convert.diagnostics(d)).build();
        });
    }

    @Override
    public void importResourceState(
            Tfplugin6.ImportResourceState.Request request, StreamObserver<Tfplugin6.ImportResourceState.Response> out) {
        reply(out, "ImportResourceState", request.getTypeName(), c -> {
            Diagnostics d = new Diagnostics();
            Tfplugin6.ImportResourceState.Response.Builder b = Tfplugin6.ImportResourceState.Response.newBuilder();
            Resource r = c.resource(request.getTypeName(), d);
            if (r instanceof ImportableResource importable) {
                TfType type = r.schema().block().type();
                StateResponse response = new StateResponse(Value.nullOf(type), new byte[0]);
                Lifecycle.guard(response.diagnostics(), "importing " + r.typeName(), () -> {
                    importable.importState(new Requests.Import(request.getId(), c.cancellation()), response);
                    return null;
                });
                d.addAll(response.diagnostics());
                if (!d.hasErrors()
                        && response.state() != null
                        && !response.state().isNull()) {
                    b.addImportedResources(Tfplugin6.ImportResourceState.ImportedResource.newBuilder()
                            .setTypeName(r.typeName())
                            .setState(Convert.dynamic(response.state(), type))
                            .setPrivate(ByteString.copyFrom(response.privateData())));
                } else if (!d.hasErrors()) {
                    d.error("Cannot import " + r.typeName(), "No object was found for ID \"" + request.getId() + "\".");
                }
            } else if (r != null) {
                d.error(
                        "Import is not supported for " + r.typeName(),
                        "Declare the object in the configuration and let Terraform create or adopt it instead.");
            }
            return b.addAllDiagnostics(Convert.diagnostics(d)).build();
        });
    }

    @Override
    public void readDataSource(
            Tfplugin6.ReadDataSource.Request request, StreamObserver<Tfplugin6.ReadDataSource.Response> out) {
        reply(out, "ReadDataSource", request.getTypeName(), c -> {
            Diagnostics d = new Diagnostics();
            Tfplugin6.ReadDataSource.Response.Builder b = Tfplugin6.ReadDataSource.Response.newBuilder();
            DataSource ds = c.dataSource(request.getTypeName(), d);
            Value config = ds == null ? null : decode(d, request.getConfig(), ds.schema());
            if (config != null) {
                TfType type = ds.schema().block().type();
                StateResponse response = new StateResponse(config, new byte[0]);
                Lifecycle.guard(response.diagnostics(), "reading data source " + ds.typeName(), () -> {
                    ds.read(new Requests.ReadData(config, c.cancellation()), response);
                    return null;
                });
                d.addAll(response.diagnostics());
                Value state = response.state();
                if (!d.hasErrors() && (state == null || state.isNull() || !state.isWhollyKnown())) {
                    d.error(
                            "Data source " + ds.typeName() + " returned no complete value",
                            "This is a defect in " + pluginName + "; please report it.");
                }
                if (!d.hasErrors()) {
                    b.setState(Convert.dynamic(state, type));
                }
            }
            return b.addAllDiagnostics(Convert.diagnostics(d)).build();
        });
    }

    @Override
    public void stopProvider(
            Tfplugin6.StopProvider.Request request, StreamObserver<Tfplugin6.StopProvider.Response> out) {
        reply(out, "StopProvider", "", c -> {
            LOG.info("stop requested: cancelling this session's work");
            c.session().cancellation().cancel();
            return Tfplugin6.StopProvider.Response.getDefaultInstance();
        });
    }

    private static Value decode(Diagnostics d, Tfplugin6.DynamicValue dv, Schema schema) {
        try {
            return Convert.value(dv, schema.block().type());
        } catch (ValueCodecException e) {
            d.error(
                    "Cannot decode a value from Terraform",
                    e.getMessage()
                            + ". Terraform and this provider disagree about the schema; run `terraform init -upgrade`.");
            return null;
        }
    }

    /**
     * Runs one call for the calling session: its lines go to the session's log sink, and its cancellation fires on
     * the session's StopProvider or when the caller abandons the call.
     */
    private <T> void reply(StreamObserver<T> out, String rpc, String typeName, Function<Call, T> body) {
        ProviderSession session = sessions.get();
        if (session == null) {
            out.onError(Status.FAILED_PRECONDITION
                    .withDescription("no session: the launcher must attach before calling the provider")
                    .asRuntimeException());
            return;
        }
        Cancellation cancellation = session.cancellation().child();
        Context.CancellationListener onAbandoned = ctx -> cancellation.cancel();
        Context context = Context.current();
        context.addListener(onAbandoned, Runnable::run);
        T response;
        long started = System.nanoTime();
        try {
            response = Log.withSink(session.logSink(), () -> {
                T r = body.apply(new Call(session, cancellation));
                LOG.debug(
                        "served " + rpc,
                        "type",
                        typeName,
                        "millis",
                        (System.nanoTime() - started) / 1_000_000,
                        "cancelled",
                        cancellation.isCancelled());
                return r;
            });
        } catch (RuntimeException e) {
            Log.withSink(session.logSink(), () -> {
                LOG.error("unexpected failure in a protocol handler", "error", Lifecycle.describe(e));
                return null;
            });
            out.onError(Status.INTERNAL
                    .withDescription(Lifecycle.describe(e))
                    .withCause(e)
                    .asRuntimeException());
            return;
        } finally {
            context.removeListener(onAbandoned);
        }
        out.onNext(response);
        out.onCompleted();
    }

    /** One call: the session it belongs to and its own cancellation. */
    private record Call(ProviderSession session, Cancellation cancellation) {
        Provider provider() {
            return session.provider();
        }

        Resource resource(String typeName, Diagnostics d) {
            for (Resource r : provider().resources()) {
                if (r.typeName().equals(typeName)) {
                    return r;
                }
            }
            d.error(
                    "Unknown resource type " + typeName,
                    "This provider offers: "
                            + String.join(
                                    ", ",
                                    provider().resources().stream()
                                            .map(Resource::typeName)
                                            .toList())
                            + ".");
            return null;
        }

        DataSource dataSource(String typeName, Diagnostics d) {
            for (DataSource ds : provider().dataSources()) {
                if (ds.typeName().equals(typeName)) {
                    return ds;
                }
            }
            d.error(
                    "Unknown data source " + typeName,
                    "This provider offers: "
                            + String.join(
                                    ", ",
                                    provider().dataSources().stream()
                                            .map(DataSource::typeName)
                                            .toList())
                            + ".");
            return null;
        }
    }
}
