package dev.tfrocketmq.framework.protocol;

import static dev.tfrocketmq.framework.resource.FakeResource.num;
import static dev.tfrocketmq.framework.resource.FakeResource.object;
import static dev.tfrocketmq.framework.resource.FakeResource.str;
import static dev.tfrocketmq.framework.resource.FakeResource.unknownNumber;
import static dev.tfrocketmq.framework.resource.FakeResource.unknownString;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.resource.DataSource;
import dev.tfrocketmq.framework.resource.FakeResource;
import dev.tfrocketmq.framework.resource.Provider;
import dev.tfrocketmq.framework.resource.Resource;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.schema.Validators;
import dev.tfrocketmq.framework.value.Msgpack;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.tfplugin6.ProviderGrpc;
import dev.tfrocketmq.tfplugin6.Tfplugin6;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProviderServiceTest {
    private static final TfType.ObjectType TYPE = FakeResource.TYPE;

    /** A provider offering only the fake resource, with one validated configuration attribute. */
    static final class FakeProvider implements Provider {
        static final Schema SCHEMA = Schema.of(Block.of(
                "fake provider",
                Attribute.string("name_server")
                        .optional()
                        .validate(Validators.hostPort())
                        .build()));

        final FakeResource resource = new FakeResource();
        Value configured;

        @Override
        public Schema schema() {
            return SCHEMA;
        }

        @Override
        public void configure(Value config, Diagnostics diagnostics) {
            configured = config;
        }

        @Override
        public List<Resource> resources() {
            return List.of(resource);
        }

        @Override
        public List<DataSource> dataSources() {
            return List.of();
        }
    }

    private final FakeProvider provider = new FakeProvider();
    private Server server;
    private ManagedChannel channel;
    private ProviderGrpc.ProviderBlockingStub stub;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .directExecutor()
                .addService(ProviderService.single(provider, "terraform-provider-test"))
                .build()
                .start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        stub = ProviderGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static Tfplugin6.DynamicValue dv(Value value) {
        return Tfplugin6.DynamicValue.newBuilder()
                .setMsgpack(ByteString.copyFrom(Msgpack.encode(value, value.type())))
                .build();
    }

    private static Tfplugin6.DynamicValue dv(Value value, TfType type) {
        return Tfplugin6.DynamicValue.newBuilder()
                .setMsgpack(ByteString.copyFrom(Msgpack.encode(value, type)))
                .build();
    }

    private static Value decode(Tfplugin6.DynamicValue dv) {
        return Msgpack.decode(dv.getMsgpack().toByteArray(), TYPE);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static Tfplugin6.Schema.Attribute attribute(Tfplugin6.Schema.Block block, String name) {
        return block.getAttributesList().stream()
                .filter(a -> a.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static final Value CONFIG = object("name", str("a"));
    private static final Value PLAN =
            object("name", str("a"), "size", num(8), "id", unknownString(), "pid", unknownNumber());
    private static final Value CREATED = object("name", str("a"), "size", num(8), "id", str("i-1"), "pid", num(42));

    // ------------------------------------------------------------ schema

    @Test
    void getProviderSchemaDescribesTheResourceAttributesWithTypeJson() {
        Tfplugin6.GetProviderSchema.Response r =
                stub.getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance());

        assertThat(r.getDiagnosticsList()).isEmpty();
        assertThat(r.getResourceSchemasMap()).containsOnlyKeys(FakeResource.TYPE_NAME);
        Tfplugin6.Schema.Block block =
                r.getResourceSchemasMap().get(FakeResource.TYPE_NAME).getBlock();
        assertThat(block.getAttributesList())
                .extracting(Tfplugin6.Schema.Attribute::getName)
                .containsExactly("name", "size", "note", "id", "pid");

        Tfplugin6.Schema.Attribute name = attribute(block, "name");
        assertThat(name.getType().toString(StandardCharsets.UTF_8)).isEqualTo("\"string\"");
        assertThat(name.getRequired()).isTrue();
        assertThat(name.getOptional()).isFalse();
        assertThat(name.getComputed()).isFalse();

        Tfplugin6.Schema.Attribute size = attribute(block, "size");
        assertThat(size.getType().toString(StandardCharsets.UTF_8)).isEqualTo("\"number\"");
        assertThat(size.getOptional()).isTrue();
        assertThat(size.getComputed()).isTrue();
        assertThat(size.getRequired()).isFalse();

        Tfplugin6.Schema.Attribute note = attribute(block, "note");
        assertThat(note.getOptional()).isTrue();
        assertThat(note.getComputed()).isFalse();

        Tfplugin6.Schema.Attribute id = attribute(block, "id");
        assertThat(id.getComputed()).isTrue();
        assertThat(id.getOptional()).isFalse();
        assertThat(id.getRequired()).isFalse();
    }

    @Test
    void getProviderSchemaDescribesTheTagBlockAsAList() {
        Tfplugin6.GetProviderSchema.Response r =
                stub.getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance());

        Tfplugin6.Schema.Block block =
                r.getResourceSchemasMap().get(FakeResource.TYPE_NAME).getBlock();
        assertThat(block.getBlockTypesList()).hasSize(1);
        Tfplugin6.Schema.NestedBlock tag = block.getBlockTypes(0);
        assertThat(tag.getTypeName()).isEqualTo("tag");
        assertThat(tag.getNesting()).isEqualTo(Tfplugin6.Schema.NestedBlock.NestingMode.LIST);
        Tfplugin6.Schema.Attribute key = attribute(tag.getBlock(), "key");
        assertThat(key.getRequired()).isTrue();
        assertThat(key.getType().toString(StandardCharsets.UTF_8)).isEqualTo("\"string\"");
    }

    @Test
    void getProviderSchemaIncludesTheProviderSchemaAndNoDataSources() {
        Tfplugin6.GetProviderSchema.Response r =
                stub.getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance());

        assertThat(r.getProvider().getBlock().getAttributesList())
                .extracting(Tfplugin6.Schema.Attribute::getName)
                .containsExactly("name_server");
        assertThat(r.getDataSourceSchemasMap()).isEmpty();
    }

    // ------------------------------------------------------------ validation

    @Test
    void validateResourceConfigReportsAnInvalidNameAtItsAttributePath() {
        Tfplugin6.ValidateResourceConfig.Response r =
                stub.validateResourceConfig(Tfplugin6.ValidateResourceConfig.Request.newBuilder()
                        .setTypeName(FakeResource.TYPE_NAME)
                        .setConfig(dv(object("name", str("bad name; rm -rf"))))
                        .build());

        assertThat(r.getDiagnosticsList()).hasSize(1);
        Tfplugin6.Diagnostic d = r.getDiagnostics(0);
        assertThat(d.getSeverity()).isEqualTo(Tfplugin6.Diagnostic.Severity.ERROR);
        assertThat(d.getAttribute().getStepsList())
                .containsExactly(Tfplugin6.AttributePath.Step.newBuilder()
                        .setAttributeName("name")
                        .build());
        assertThat(d.getDetail()).contains("bad name; rm -rf");
    }

    @Test
    void validateResourceConfigAcceptsAValidNameAndSkipsUnknowns() {
        Tfplugin6.ValidateResourceConfig.Response ok =
                stub.validateResourceConfig(Tfplugin6.ValidateResourceConfig.Request.newBuilder()
                        .setTypeName(FakeResource.TYPE_NAME)
                        .setConfig(dv(CONFIG))
                        .build());
        Tfplugin6.ValidateResourceConfig.Response unknown =
                stub.validateResourceConfig(Tfplugin6.ValidateResourceConfig.Request.newBuilder()
                        .setTypeName(FakeResource.TYPE_NAME)
                        .setConfig(dv(object("name", unknownString())))
                        .build());

        assertThat(ok.getDiagnosticsList()).isEmpty();
        assertThat(unknown.getDiagnosticsList()).isEmpty();
    }

    @Test
    void validateProviderConfigDiagnosticsTravelInFieldTwo() {
        Value config = Value.object(FakeProvider.SCHEMA.block().type(), Map.of("name_server", str("no-port")));

        Tfplugin6.ValidateProviderConfig.Response r =
                stub.validateProviderConfig(Tfplugin6.ValidateProviderConfig.Request.newBuilder()
                        .setConfig(dv(config))
                        .build());

        assertThat(r.getDiagnosticsList()).hasSize(1);
        assertThat(r.getDiagnostics(0).getSeverity()).isEqualTo(Tfplugin6.Diagnostic.Severity.ERROR);
        assertThat(Tfplugin6.ValidateProviderConfig.Response.getDescriptor()
                        .findFieldByName("diagnostics")
                        .getNumber())
                .isEqualTo(2);
        byte[] wire = r.toByteArray();
        assertThat(wire[0]).isEqualTo((byte) ((2 << 3) | 2));
    }

    @Test
    void configureProviderHandsTheDecodedConfigurationToTheProvider() {
        Value config = Value.object(FakeProvider.SCHEMA.block().type(), Map.of("name_server", str("10.0.0.5:9876")));

        Tfplugin6.ConfigureProvider.Response r = stub.configureProvider(Tfplugin6.ConfigureProvider.Request.newBuilder()
                .setConfig(dv(config))
                .build());

        assertThat(r.getDiagnosticsList()).isEmpty();
        assertThat(provider.configured).isEqualTo(config);
    }

    // ------------------------------------------------------------ plan and apply

    @Test
    void planResourceChangeForACreateRoundTripsThePlannedState() {
        Tfplugin6.PlanResourceChange.Response r =
                stub.planResourceChange(Tfplugin6.PlanResourceChange.Request.newBuilder()
                        .setTypeName(FakeResource.TYPE_NAME)
                        .setPriorState(Tfplugin6.DynamicValue.getDefaultInstance())
                        .setProposedNewState(dv(CONFIG))
                        .setConfig(dv(CONFIG))
                        .build());

        assertThat(r.getDiagnosticsList()).isEmpty();
        assertThat(r.getRequiresReplaceList()).isEmpty();
        assertThat(decode(r.getPlannedState())).isEqualTo(PLAN);
        byte[] planned = r.getPlannedState().getMsgpack().toByteArray();
        assertThat(planned).isEqualTo(Msgpack.encode(PLAN, TYPE));
        // "id" as a fixstr followed by the unknown extension d4 00 00
        assertThat(hex(planned)).contains("a26964" + "d40000").contains("a3706964" + "d40000");
    }

    @Test
    void planResourceChangeReportsTheReplacedAttributePath() {
        Value prior = CREATED;
        Value config = object("name", str("b"));
        Value proposed = config.withAttribute("id", str("i-1")).withAttribute("pid", num(42));

        Tfplugin6.PlanResourceChange.Response r =
                stub.planResourceChange(Tfplugin6.PlanResourceChange.Request.newBuilder()
                        .setTypeName(FakeResource.TYPE_NAME)
                        .setPriorState(dv(prior))
                        .setProposedNewState(dv(proposed))
                        .setConfig(dv(config))
                        .build());

        assertThat(r.getDiagnosticsList()).isEmpty();
        assertThat(r.getRequiresReplaceList())
                .containsExactly(Tfplugin6.AttributePath.newBuilder()
                        .addSteps(Tfplugin6.AttributePath.Step.newBuilder().setAttributeName("name"))
                        .build());
    }

    @Test
    void applyResourceChangeCreatesTheObject() {
        Tfplugin6.ApplyResourceChange.Response r =
                stub.applyResourceChange(Tfplugin6.ApplyResourceChange.Request.newBuilder()
                        .setTypeName(FakeResource.TYPE_NAME)
                        .setPriorState(Tfplugin6.DynamicValue.getDefaultInstance())
                        .setPlannedState(dv(PLAN))
                        .setConfig(dv(CONFIG))
                        .setPlannedPrivate(ByteString.copyFromUtf8("p"))
                        .build());

        assertThat(r.getDiagnosticsList()).isEmpty();
        assertThat(decode(r.getNewState())).isEqualTo(CREATED);
        assertThat(r.getPrivate().toStringUtf8()).isEqualTo("p");
        assertThat(provider.resource.calls).containsExactly("create");
    }

    @Test
    void applyResourceChangeForADestroyReturnsANullState() {
        Tfplugin6.ApplyResourceChange.Response r =
                stub.applyResourceChange(Tfplugin6.ApplyResourceChange.Request.newBuilder()
                        .setTypeName(FakeResource.TYPE_NAME)
                        .setPriorState(dv(CREATED))
                        .setPlannedState(dv(Value.nullOf(TYPE), TYPE))
                        .setConfig(dv(Value.nullOf(TYPE), TYPE))
                        .build());

        assertThat(r.getDiagnosticsList()).isEmpty();
        assertThat(decode(r.getNewState()).isNull()).isTrue();
        assertThat(provider.resource.calls).containsExactly("delete");
    }

    // ------------------------------------------------------------ read, upgrade, import

    @Test
    void readResourceOfAGoneObjectReturnsANullState() {
        provider.resource.onRead = (request, response) -> response.markGone();

        Tfplugin6.ReadResource.Response r = stub.readResource(Tfplugin6.ReadResource.Request.newBuilder()
                .setTypeName(FakeResource.TYPE_NAME)
                .setCurrentState(dv(CREATED))
                .build());

        assertThat(r.getDiagnosticsList()).isEmpty();
        assertThat(r.hasNewState()).isTrue();
        assertThat(decode(r.getNewState()).isNull()).isTrue();
        assertThat(Convert.value(r.getNewState(), TYPE).isNull()).isTrue();
    }

    @Test
    void readResourceOfAnExistingObjectReturnsItsState() {
        Tfplugin6.ReadResource.Response r = stub.readResource(Tfplugin6.ReadResource.Request.newBuilder()
                .setTypeName(FakeResource.TYPE_NAME)
                .setCurrentState(dv(CREATED))
                .build());

        assertThat(r.getDiagnosticsList()).isEmpty();
        assertThat(decode(r.getNewState())).isEqualTo(CREATED);
    }

    @Test
    void upgradeResourceStateFillsAMissingOptionalAttributeWithNull() {
        String json = "{\"name\":\"a\",\"size\":8,\"id\":\"i-1\",\"pid\":42,\"tag\":[]}";

        Tfplugin6.UpgradeResourceState.Response r =
                stub.upgradeResourceState(Tfplugin6.UpgradeResourceState.Request.newBuilder()
                        .setTypeName(FakeResource.TYPE_NAME)
                        .setVersion(0)
                        .setRawState(Tfplugin6.RawState.newBuilder().setJson(ByteString.copyFromUtf8(json)))
                        .build());

        assertThat(r.getDiagnosticsList()).isEmpty();
        Value upgraded = decode(r.getUpgradedState());
        assertThat(upgraded).isEqualTo(CREATED);
        assertThat(upgraded.attribute("note").isNull()).isTrue();
    }

    @Test
    void upgradeResourceStateRejectsStateFromANewerSchemaVersion() {
        Tfplugin6.UpgradeResourceState.Response r =
                stub.upgradeResourceState(Tfplugin6.UpgradeResourceState.Request.newBuilder()
                        .setTypeName(FakeResource.TYPE_NAME)
                        .setVersion(3)
                        .setRawState(Tfplugin6.RawState.newBuilder().setJson(ByteString.copyFromUtf8("{}")))
                        .build());

        assertThat(r.getDiagnosticsList())
                .extracting(Tfplugin6.Diagnostic::getSeverity)
                .containsExactly(Tfplugin6.Diagnostic.Severity.ERROR);
    }

    @Test
    void anUnknownTypeNameIsAnErrorDiagnosticNotAGrpcError() {
        Tfplugin6.PlanResourceChange.Response r =
                stub.planResourceChange(Tfplugin6.PlanResourceChange.Request.newBuilder()
                        .setTypeName("rocketmq_nope")
                        .setProposedNewState(dv(CONFIG))
                        .setConfig(dv(CONFIG))
                        .build());

        assertThat(r.getDiagnosticsList()).hasSize(1);
        assertThat(r.getDiagnostics(0).getSeverity()).isEqualTo(Tfplugin6.Diagnostic.Severity.ERROR);
        assertThat(r.getDiagnostics(0).getSummary()).contains("rocketmq_nope");
        assertThat(r.getDiagnostics(0).getDetail()).contains(FakeResource.TYPE_NAME);
    }

    @Test
    void anUnknownTypeNameInReadKeepsTheCurrentState() {
        Tfplugin6.ReadResource.Response r = stub.readResource(Tfplugin6.ReadResource.Request.newBuilder()
                .setTypeName("rocketmq_nope")
                .setCurrentState(dv(CREATED))
                .build());

        assertThat(r.getDiagnosticsList())
                .extracting(Tfplugin6.Diagnostic::getSeverity)
                .containsExactly(Tfplugin6.Diagnostic.Severity.ERROR);
        assertThat(decode(r.getNewState())).isEqualTo(CREATED);
    }

    @Test
    void importOfANonImportableResourceIsAnErrorDiagnostic() {
        Tfplugin6.ImportResourceState.Response r =
                stub.importResourceState(Tfplugin6.ImportResourceState.Request.newBuilder()
                        .setTypeName(FakeResource.TYPE_NAME)
                        .setId("i-1")
                        .build());

        assertThat(r.getImportedResourcesList()).isEmpty();
        assertThat(r.getDiagnosticsList()).hasSize(1);
        assertThat(r.getDiagnostics(0).getSeverity()).isEqualTo(Tfplugin6.Diagnostic.Severity.ERROR);
        assertThat(r.getDiagnostics(0).getSummary()).contains("Import is not supported");
    }

    @Test
    void aValueThatDoesNotMatchTheSchemaIsAnErrorDiagnostic() {
        Tfplugin6.ValidateResourceConfig.Response r =
                stub.validateResourceConfig(Tfplugin6.ValidateResourceConfig.Request.newBuilder()
                        .setTypeName(FakeResource.TYPE_NAME)
                        .setConfig(dv(str("not an object")))
                        .build());

        assertThat(r.getDiagnosticsList())
                .extracting(Tfplugin6.Diagnostic::getSeverity)
                .containsExactly(Tfplugin6.Diagnostic.Severity.ERROR);
    }
}
