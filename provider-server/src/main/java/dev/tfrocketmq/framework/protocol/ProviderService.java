package dev.tfrocketmq.framework.protocol;

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
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The tfplugin6 Provider service. Each RPC converts its request, runs the framework, converts the answer back;
 * failures travel as diagnostics, never as gRPC errors (which would make Terraform lose the state it holds).
 */
public final class ProviderService extends ProviderGrpc.ProviderImplBase {
    private static final Log LOG = Log.named("protocol");

    private final Provider provider;
    private final Map<String, Resource> resources = new LinkedHashMap<>();
    private final Map<String, DataSource> dataSources = new LinkedHashMap<>();
    private final Cancellation cancellation = new Cancellation();
    private final Tfplugin6.GetProviderSchema.Response schemaResponse;

    public ProviderService(Provider provider) {
        this.provider = provider;
        provider.resources().forEach(r -> resources.put(r.typeName(), r));
        provider.dataSources().forEach(d -> dataSources.put(d.typeName(), d));
        Tfplugin6.GetProviderSchema.Response.Builder b = Tfplugin6.GetProviderSchema.Response.newBuilder()
                .setProvider(Convert.schema(provider.schema()))
                .setServerCapabilities(Tfplugin6.ServerCapabilities.newBuilder()
                        .setPlanDestroy(false)
                        .setGetProviderSchemaOptional(false)
                        .setMoveResourceState(false));
        resources.forEach((name, r) -> b.putResourceSchemas(name, Convert.schema(r.schema())));
        dataSources.forEach((name, d) -> b.putDataSourceSchemas(name, Convert.schema(d.schema())));
        this.schemaResponse = b.build();
    }

    public Cancellation cancellation() {
        return cancellation;
    }

    @Override
    public void getProviderSchema(
            Tfplugin6.GetProviderSchema.Request request, StreamObserver<Tfplugin6.GetProviderSchema.Response> out) {
        reply(out, () -> schemaResponse);
    }

    @Override
    public void validateProviderConfig(
            Tfplugin6.ValidateProviderConfig.Request request,
            StreamObserver<Tfplugin6.ValidateProviderConfig.Response> out) {
        reply(out, () -> {
            Diagnostics d = new Diagnostics();
            Value config = decode(d, request.getConfig(), provider.schema());
            if (config != null) {
                Lifecycle.validate(
                        provider.schema().block(),
                        config,
                        () -> provider.validate(new Requests.Validate(config), d),
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
        reply(out, () -> {
            Diagnostics d = new Diagnostics();
            Resource r = resource(request.getTypeName(), d);
            if (r != null) {
                Value config = decode(d, request.getConfig(), r.schema());
                if (config != null) {
                    Lifecycle.validate(
                            r.schema().block(), config, () -> r.validate(new Requests.Validate(config), d), d);
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
        reply(out, () -> {
            Diagnostics d = new Diagnostics();
            DataSource ds = dataSource(request.getTypeName(), d);
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
        reply(out, () -> {
            Diagnostics d = new Diagnostics();
            Tfplugin6.UpgradeResourceState.Response.Builder b = Tfplugin6.UpgradeResourceState.Response.newBuilder();
            Resource r = resource(request.getTypeName(), d);
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
        reply(out, () -> {
            Diagnostics d = new Diagnostics();
            Value config = decode(d, request.getConfig(), provider.schema());
            if (config != null) {
                Lifecycle.guard(d, "configuring the provider", () -> {
                    provider.configure(config, d);
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
        reply(out, () -> {
            Diagnostics d = new Diagnostics();
            Tfplugin6.ReadResource.Response.Builder b = Tfplugin6.ReadResource.Response.newBuilder()
                    .setNewState(request.getCurrentState())
                    .setPrivate(request.getPrivate());
            Resource r = resource(request.getTypeName(), d);
            Value current = r == null ? null : decode(d, request.getCurrentState(), r.schema());
            if (current != null) {
                TfType type = r.schema().block().type();
                if (current.isNull()) {
                    b.setNewState(Convert.dynamic(current, type));
                } else {
                    Lifecycle.StateOutcome o =
                            Lifecycle.read(r, current, request.getPrivate().toByteArray(), cancellation);
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
        reply(out, () -> {
            Diagnostics d = new Diagnostics();
            Tfplugin6.PlanResourceChange.Response.Builder b = Tfplugin6.PlanResourceChange.Response.newBuilder()
                    .setPlannedState(request.getProposedNewState())
                    .setPlannedPrivate(request.getPriorPrivate());
            Resource r = resource(request.getTypeName(), d);
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
                            cancellation);
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
        reply(out, () -> {
            Diagnostics d = new Diagnostics();
            Tfplugin6.ApplyResourceChange.Response.Builder b = Tfplugin6.ApplyResourceChange.Response.newBuilder()
                    .setNewState(request.getPriorState())
                    .setPrivate(request.getPlannedPrivate());
            Resource r = resource(request.getTypeName(), d);
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
                            cancellation);
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
        reply(out, () -> {
            Diagnostics d = new Diagnostics();
            Tfplugin6.ImportResourceState.Response.Builder b = Tfplugin6.ImportResourceState.Response.newBuilder();
            Resource r = resource(request.getTypeName(), d);
            if (r instanceof ImportableResource importable) {
                TfType type = r.schema().block().type();
                StateResponse response = new StateResponse(Value.nullOf(type), new byte[0]);
                Lifecycle.guard(response.diagnostics(), "importing " + r.typeName(), () -> {
                    importable.importState(new Requests.Import(request.getId(), cancellation), response);
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
        reply(out, () -> {
            Diagnostics d = new Diagnostics();
            Tfplugin6.ReadDataSource.Response.Builder b = Tfplugin6.ReadDataSource.Response.newBuilder();
            DataSource ds = dataSource(request.getTypeName(), d);
            Value config = ds == null ? null : decode(d, request.getConfig(), ds.schema());
            if (config != null) {
                TfType type = ds.schema().block().type();
                StateResponse response = new StateResponse(config, new byte[0]);
                Lifecycle.guard(response.diagnostics(), "reading data source " + ds.typeName(), () -> {
                    ds.read(new Requests.ReadData(config, cancellation), response);
                    return null;
                });
                d.addAll(response.diagnostics());
                Value state = response.state();
                if (!d.hasErrors() && (state == null || state.isNull() || !state.isWhollyKnown())) {
                    d.error(
                            "Data source " + ds.typeName() + " returned no complete value",
                            "This is a defect in terraform-provider-rocketmq; please report it.");
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
        LOG.info("stop requested: cancelling in-flight work");
        cancellation.cancel();
        reply(out, () -> Tfplugin6.StopProvider.Response.getDefaultInstance());
    }

    private Resource resource(String typeName, Diagnostics d) {
        Resource r = resources.get(typeName);
        if (r == null) {
            d.error(
                    "Unknown resource type " + typeName,
                    "This provider offers: " + String.join(", ", resources.keySet()) + ".");
        }
        return r;
    }

    private DataSource dataSource(String typeName, Diagnostics d) {
        DataSource ds = dataSources.get(typeName);
        if (ds == null) {
            d.error(
                    "Unknown data source " + typeName,
                    "This provider offers: " + String.join(", ", dataSources.keySet()) + ".");
        }
        return ds;
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

    private static <T> void reply(StreamObserver<T> out, Supplier<T> body) {
        T response;
        try {
            response = body.get();
        } catch (RuntimeException e) {
            LOG.error("unexpected failure in a protocol handler", "error", Lifecycle.describe(e));
            out.onError(Status.INTERNAL
                    .withDescription(Lifecycle.describe(e))
                    .withCause(e)
                    .asRuntimeException());
            return;
        }
        out.onNext(response);
        out.onCompleted();
    }
}
