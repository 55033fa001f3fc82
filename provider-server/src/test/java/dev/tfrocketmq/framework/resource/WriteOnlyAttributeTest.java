package dev.tfrocketmq.framework.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tfrocketmq.framework.diag.Diagnostic;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.NestedBlock;
import dev.tfrocketmq.framework.schema.NestingMode;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteOnlyAttributeTest {
    private static final Block INNER = Block.of(
            "credentials",
            Attribute.string("user").required().build(),
            Attribute.string("secret").optional().writeOnly().build());
    private static final Block BLOCK = Block.of(
                    "a login",
                    Attribute.string("name").required().build(),
                    Attribute.string("password")
                            .optional()
                            .sensitive()
                            .writeOnly()
                            .build(),
                    Attribute.number("password_version").optional().build(),
                    Attribute.string("id").computed().build())
            .withBlocks(NestedBlock.of("extra", NestingMode.LIST, INNER));
    private static final TfType.ObjectType TYPE = BLOCK.type();

    /** A resource that echoes whatever it is given into its state, as a careless implementation would. */
    private static final class Login implements Resource {
        final List<String> passwordsSeen = new ArrayList<>();

        @Override
        public String typeName() {
            return "example_login";
        }

        @Override
        public Schema schema() {
            return Schema.of(BLOCK);
        }

        @Override
        public void create(Requests.Create request, StateResponse response) {
            passwordsSeen.add(request.config().attribute("password").asString());
            response.setState(request.config().withAttribute("id", Value.string("login-1")));
        }

        @Override
        public void read(Requests.Read request, StateResponse response) {
            response.setState(request.current().withAttribute("password", Value.string("read-back")));
        }

        @Override
        public void update(Requests.Update request, StateResponse response) {
            passwordsSeen.add(request.config().attribute("password").asString());
            response.setState(request.config().withAttribute("id", Value.string("login-1")));
        }

        @Override
        public void delete(Requests.Delete request, Diagnostics diagnostics) {}
    }

    private final Login resource = new Login();
    private final Cancellation cancellation = new Cancellation();

    private static Value config(String password, Value extra) {
        Map<String, Value> a = new LinkedHashMap<>();
        a.put("name", Value.string("app"));
        a.put("password", password == null ? Value.nullOf(TfType.STRING) : Value.string(password));
        a.put("password_version", Value.number(1));
        a.put("id", Value.nullOf(TfType.STRING));
        a.put("extra", extra);
        return Value.object(TYPE, a);
    }

    private static Value noExtra() {
        return Value.list(INNER.type(), List.of());
    }

    private static Value extraWithSecret(String secret) {
        return Value.list(
                INNER.type(),
                List.of(Value.object(INNER.type(), Map.of("user", Value.string("u"), "secret", Value.string(secret)))));
    }

    @Test
    void planHoldsNoValueForAWriteOnlyAttributeAtAnyDepth() {
        Value config = config("s3cret", extraWithSecret("deep"));

        Lifecycle.PlanOutcome o =
                Lifecycle.plan(resource, Value.nullOf(TYPE), config, config, new byte[0], cancellation);

        assertThat(o.diagnostics().all()).isEmpty();
        assertThat(o.planned().attribute("password").isNull()).isTrue();
        assertThat(o.planned()
                        .attribute("extra")
                        .elements()
                        .get(0)
                        .attribute("secret")
                        .isNull())
                .isTrue();
        assertThat(o.planned().attribute("password_version")).isEqualTo(Value.number(1));
    }

    @Test
    void applyHandsTheConfiguredValueToTheResourceButStoresNull() {
        Value config = config("s3cret", extraWithSecret("deep"));
        Value planned = Lifecycle.plan(resource, Value.nullOf(TYPE), config, config, new byte[0], cancellation)
                .planned();

        Lifecycle.StateOutcome o =
                Lifecycle.apply(resource, Value.nullOf(TYPE), planned, config, new byte[0], cancellation);

        assertThat(o.diagnostics().all()).isEmpty();
        assertThat(resource.passwordsSeen).containsExactly("s3cret");
        assertThat(o.state().attribute("password").isNull()).isTrue();
        assertThat(o.state()
                        .attribute("extra")
                        .elements()
                        .get(0)
                        .attribute("secret")
                        .isNull())
                .isTrue();
        assertThat(o.state().toString()).doesNotContain("s3cret").doesNotContain("deep");
    }

    @Test
    void readNeverReturnsAValueForAWriteOnlyAttribute() {
        Value current = config(null, noExtra()).withAttribute("id", Value.string("login-1"));

        Lifecycle.StateOutcome o = Lifecycle.read(resource, current, new byte[0], cancellation);

        assertThat(o.state().attribute("password").isNull()).isTrue();
    }

    @Test
    void aPlanThatCarriesAWriteOnlyValueIsReportedAsADefect() {
        Diagnostics d = new Diagnostics();
        Value config = config("s3cret", noExtra());

        PlanRules.checkPlan("terraform-provider-example", BLOCK, ValuePath.root(), config, null, config, d);

        assertThat(d.all())
                .extracting(Diagnostic::summary)
                .anySatisfy(s -> assertThat(s).contains("password"));
    }

    @Test
    void validationRefusesAWriteOnlyValueWhenTheClientDoesNotAllowThem() {
        Diagnostics d = new Diagnostics();

        Lifecycle.validateResource(BLOCK, config("s3cret", extraWithSecret("deep")), false, () -> {}, d);

        assertThat(d.all()).hasSize(2);
        assertThat(d.all().get(0).path()).isEqualTo(ValuePath.root().attribute("password"));
        assertThat(d.all().get(0).detail()).contains("Terraform 1.11").doesNotContain("s3cret");
        assertThat(d.all().get(1).path())
                .isEqualTo(ValuePath.root().attribute("extra").index(0).attribute("secret"));
    }

    @Test
    void validationAcceptsWriteOnlyValuesWhenTheClientAllowsThem() {
        Diagnostics d = new Diagnostics();

        Lifecycle.validateResource(BLOCK, config("s3cret", extraWithSecret("deep")), true, () -> {}, d);

        assertThat(d.all()).isEmpty();
    }

    @Test
    void validationIgnoresAnUnsetWriteOnlyAttributeWhateverTheClient() {
        Diagnostics d = new Diagnostics();

        Lifecycle.validateResource(BLOCK, config(null, noExtra()), false, () -> {}, d);

        assertThat(d.all()).isEmpty();
    }

    @Test
    void aValidatorRefusingASecretNeverQuotesIt() {
        Block block = Block.of(
                "a login",
                Attribute.string("password")
                        .optional()
                        .writeOnly()
                        .validate(
                                dev.tfrocketmq.framework.schema.Validators.matches(".{20,}", "at least 20 characters"))
                        .build());
        Value config = Value.object(block.type(), Map.of("password", Value.string("MARKERshort")));
        Diagnostics d = new Diagnostics();

        Lifecycle.validateResource(block, config, true, () -> {}, d);

        assertThat(d.all()).hasSize(1);
        assertThat(d.all().get(0).detail()).contains("at least 20 characters").doesNotContain("MARKER");
        assertThat(d.all().get(0).summary()).doesNotContain("MARKER");
    }

    @Test
    void aWriteOnlyAttributeCannotBeComputed() {
        assertThatThrownBy(() -> Attribute.string("secret")
                        .optional()
                        .computed()
                        .writeOnly()
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("write-only");
    }
}
