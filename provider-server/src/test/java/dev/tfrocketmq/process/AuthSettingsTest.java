package dev.tfrocketmq.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tfrocketmq.admin.AdminCredentials;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class AuthSettingsTest {
    private static final Block BLOCK;

    static {
        List<Attribute> a = new ArrayList<>(AuthSettings.attributes("broker"));
        a.add(Attribute.string("broker_ip1").optional().build());
        BLOCK = new Block(a, List.of(), "a broker", false);
    }

    private static final AdminCredentials ADMIN = new AdminCredentials("admin", "MARKER-admin-secret");
    private final AuthSettings broker = AuthSettings.broker(v -> "127.0.0.1:10911");

    private static Value planned(Boolean authentication, Boolean authorization) {
        Map<String, Value> a = new LinkedHashMap<>();
        a.put(
                AuthSettings.AUTHENTICATION,
                authentication == null ? Value.nullOf(TfType.BOOL) : Value.bool(authentication));
        a.put(
                AuthSettings.AUTHORIZATION,
                authorization == null ? Value.nullOf(TfType.BOOL) : Value.bool(authorization));
        a.put("broker_ip1", Value.nullOf(TfType.STRING));
        return Value.object(BLOCK.type(), a);
    }

    @Test
    void withoutAuthenticationNothingIsAddedAndReadinessUsesTheAdminCredentials() {
        assertThat(broker.entries(planned(null, null), Optional.of(ADMIN))).isEmpty();
        assertThat(broker.readiness(planned(false, null), Optional.of(ADMIN))).contains(ADMIN);
        assertThat(AuthSettings.requirement(planned(null, null))).isEmpty();
    }

    @Test
    void withAuthenticationTheBrokerGetsRocketMqsSettingsAndDerivedInnerCredentialsOnly() {
        Map<String, String> e = broker.entries(planned(true, true), Optional.of(ADMIN));

        assertThat(e)
                .containsEntry("authenticationEnabled", "true")
                .containsEntry("authorizationEnabled", "true")
                .containsKey("authenticationMetadataProvider")
                .containsKey("authorizationMetadataProvider");
        assertThat(e.get("innerClientAuthenticationCredentials"))
                .contains(ADMIN.inner().accessKey());
        assertThat(e.toString()).doesNotContain("MARKER");
        assertThat(broker.readiness(planned(true, null), Optional.of(ADMIN))).contains(ADMIN.inner());
        assertThat(AuthSettings.requirement(planned(true, null)).orElseThrow().minimum())
                .isEqualTo(AuthSettings.ACL_2);
    }

    @Test
    void authenticationWithoutAdminCredentialsSaysWhatToSetBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> broker.entries(planned(true, null), Optional.empty()))
                .isInstanceOf(OperatorException.class)
                .hasMessageContaining("ROCKETMQ_ACCESS_KEY")
                .hasMessageContaining("Nothing was changed");
    }

    @Test
    void authorizationWithoutAuthenticationIsRefusedAtValidate() {
        Diagnostics d = new Diagnostics();

        broker.check(planned(false, true), d);

        assertThat(d.all()).hasSize(1);
        assertThat(d.all().get(0).path()).isEqualTo(ValuePath.root().attribute(AuthSettings.AUTHORIZATION));
    }
}
