package dev.tfrocketmq.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.host.ssh.SshSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class SshBlockTest {
    private static final TfType.ObjectType TYPE = SshBlock.block("").type();

    private static Value block(Map<String, Value> set) {
        Map<String, Value> attrs = new HashMap<>();
        TYPE.attributeTypes().forEach((name, type) -> attrs.put(name, set.getOrDefault(name, Value.nullOf(type))));
        return Value.object(TYPE, attrs);
    }

    @Test
    void defaultsToRootOnPort22WithHostKeyChecking() {
        SshSettings s = SshBlock.resolve("10.0.0.5", null, null);
        assertThat(s.user()).isEqualTo("root");
        assertThat(s.port()).isEqualTo(22);
        assertThat(s.insecureIgnoreHostKey()).isFalse();
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.bastion()).isEmpty();
    }

    @Test
    void resourceValuesOverrideProviderValuesAttributeByAttribute() {
        Value provider = block(Map.of(
                "user",
                Value.string("deploy"),
                "port",
                Value.number(2222),
                "private_key",
                Value.string("PROVIDER-KEY")));
        Value resource = block(Map.of("port", Value.number(22), "timeout", Value.string("5s")));
        SshSettings s = SshBlock.resolve("h1", resource, provider);
        assertThat(s.user()).isEqualTo("deploy");
        assertThat(s.port()).isEqualTo(22);
        assertThat(s.privateKey()).contains("PROVIDER-KEY");
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void bastionInheritsUserAndKeyUnlessItsOwnAreGiven() {
        Value provider = block(Map.of(
                "user",
                Value.string("ops"),
                "private_key",
                Value.string("K"),
                "bastion_host",
                Value.string("10.0.0.1"),
                "bastion_host_key",
                Value.string("ssh-ed25519 AAAA")));
        SshSettings s = SshBlock.resolve("10.0.0.9", null, provider);
        assertThat(s.bastion()).isPresent();
        SshSettings b = s.bastion().orElseThrow();
        assertThat(b.host()).isEqualTo("10.0.0.1");
        assertThat(b.user()).isEqualTo("ops");
        assertThat(b.privateKey()).contains("K");
        assertThat(b.hostKey()).contains("ssh-ed25519 AAAA");
    }

    @Test
    void theAgentIsUsedByDefaultOnlyWhenSshAuthSockIsSetAndNoKeyOrPasswordIsGiven() {
        String socket = "/tmp/ssh-agent.sock";
        assertThat(SshBlock.resolve("h1", null, null, socket).agent()).isTrue();
        assertThat(SshBlock.resolve("h1", null, null, null).agent()).isFalse();
        assertThat(SshBlock.resolve("h1", null, null, "").agent()).isFalse();
        assertThat(SshBlock.resolve("h1", null, block(Map.of("private_key", Value.string("K"))), socket)
                        .agent())
                .isFalse();
        assertThat(SshBlock.resolve("h1", block(Map.of("password", Value.string("P"))), null, socket)
                        .agent())
                .isFalse();
        assertThat(SshBlock.resolve("h1", null, null, socket).agentSocket()).isEmpty();
    }

    @Test
    void anExplicitAgentSettingWinsAndTheBastionInheritsIt() {
        Value provider = block(Map.of(
                "private_key", Value.string("K"), "agent", Value.bool(true), "bastion_host", Value.string("10.0.0.1")));
        SshSettings on = SshBlock.resolve("h1", null, provider, null);
        assertThat(on.agent()).isTrue();
        assertThat(on.bastion().orElseThrow().agent()).isTrue();

        SshSettings off = SshBlock.resolve(
                "h1",
                block(Map.of("agent", Value.bool(false))),
                block(Map.of("bastion_host", Value.string("10.0.0.1"))),
                "/tmp/ssh-agent.sock");
        assertThat(off.agent()).isFalse();
        assertThat(off.bastion().orElseThrow().agent()).isFalse();

        SshSettings byDefault = SshBlock.resolve(
                "h1", null, block(Map.of("bastion_host", Value.string("10.0.0.1"))), "/tmp/ssh-agent.sock");
        assertThat(byDefault.bastion().orElseThrow().agent()).isTrue();
    }

    @Test
    void privateKeysNeverAppearInSettingsText() {
        SshSettings s = SshBlock.resolve(
                "h1",
                null,
                block(Map.of(
                        "private_key", Value.string("SECRET-KEY-TEXT"), "password", Value.string("SECRET-PASSWORD"))));
        assertThat(s.toString()).doesNotContain("SECRET-KEY-TEXT").doesNotContain("SECRET-PASSWORD");
    }

    @Test
    void durationsAcceptMillisecondsSecondsAndMinutes() {
        assertThat(SshBlock.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(SshBlock.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(SshBlock.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    }
}
