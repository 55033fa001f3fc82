package dev.tfrocketmq.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tfrocketmq.admin.AdminCredentials;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class ProxyConfigFileTest {
    private static Value planned(boolean authentication) {
        Map<String, Value> a = new LinkedHashMap<>();
        ProxyKind.KIND.schema().block().type().attributeTypes().forEach((k, t) -> a.put(k, Value.nullOf(t)));
        a.put("cluster_name", Value.string("DefaultCluster"));
        a.put(
                "name_servers",
                Value.list(TfType.STRING, List.of(Value.string("10.0.0.1:9876"), Value.string("10.0.0.2:9876"))));
        a.put("listen_port", Value.number(8081));
        a.put("remoting_port", Value.number(8080));
        a.put("authentication_enabled", Value.bool(authentication));
        a.put("properties", Value.map(TfType.STRING, Map.of("grpcThreadPoolNums", Value.string("4"))));
        return Value.object(ProxyKind.KIND.schema().block().type(), a);
    }

    private static JsonObject rendered(Value planned, Optional<AdminCredentials> admin) {
        Map<String, String> entries =
                new LinkedHashMap<>(ProxyKind.KIND.config().entries(planned));
        entries.putAll(ProxyKind.KIND.authentication().entries(planned, admin));
        return JsonParser.parseString(new String(ProxyKind.KIND.config().render(entries), UTF_8))
                .getAsJsonObject();
    }

    @Test
    void theProxyReadsClusterModeJsonWithTypedNumbers() {
        JsonObject json = rendered(planned(false), Optional.empty());

        assertThat(json.get("proxyMode").getAsString()).isEqualTo("cluster");
        assertThat(json.get("namesrvAddr").getAsString()).isEqualTo("10.0.0.1:9876;10.0.0.2:9876");
        assertThat(json.get("grpcServerPort").getAsJsonPrimitive().isNumber()).isTrue();
        assertThat(json.get("grpcServerPort").getAsInt()).isEqualTo(8081);
        assertThat(json.get("remotingListenPort").getAsInt()).isEqualTo(8080);
        assertThat(json.get("grpcThreadPoolNums").getAsInt()).isEqualTo(4);
        assertThat(json.has("authenticationEnabled")).isFalse();
    }

    @Test
    void withAuthenticationTheProxyGetsDerivedInnerCredentialsNeverTheAdminSecret() {
        AdminCredentials admin = new AdminCredentials("admin", "MARKER-admin-secret");

        JsonObject json = rendered(planned(true), Optional.of(admin));

        assertThat(json.get("authenticationEnabled").getAsBoolean()).isTrue();
        assertThat(json.get("enableAclRpcHookForClusterMode").getAsBoolean()).isTrue();
        assertThat(json.get("authenticationMetadataProvider").getAsString())
                .contains("ProxyAuthenticationMetadataProvider");
        JsonObject inner = JsonParser.parseString(
                        json.get("innerClientAuthenticationCredentials").getAsString())
                .getAsJsonObject();
        assertThat(inner.get("accessKey").getAsString()).isEqualTo(admin.inner().accessKey());
        assertThat(json.toString()).doesNotContain("MARKER");
    }

    @Test
    void aRequestSignatureIsTheHexHmacSha1OfTheRequestTime() {
        // HMAC-SHA1("key", "The quick brown fox jumps over the lazy dog"), a published test vector
        assertThat(ProxyProbe.sign("key", "The quick brown fox jumps over the lazy dog"))
                .isEqualToIgnoringCase("de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9");
    }
}
