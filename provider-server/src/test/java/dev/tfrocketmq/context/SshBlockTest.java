package dev.tfrocketmq.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.host.UserEnvironment;
import dev.tfrocketmq.host.ssh.SshSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SshBlockTest {
    private static final TfType.ObjectType TYPE = SshBlock.block("", true).type();

    private static Value block(Map<String, Value> set) {
        Map<String, Value> attrs = new HashMap<>();
        TYPE.attributeTypes().forEach((name, type) -> attrs.put(name, set.getOrDefault(name, Value.nullOf(type))));
        return Value.object(TYPE, attrs);
    }

    /** An environment whose SSH_AUTH_SOCK is {@code agentSocket} (unset when null). */
    private static UserEnvironment env(String agentSocket) {
        return new UserEnvironment(
                Path.of("/home/tester"),
                Path.of("/work"),
                agentSocket == null ? Map.of() : Map.of("SSH_AUTH_SOCK", agentSocket));
    }

    @Test
    void defaultsToRootOnPort22WithHostKeyChecking() {
        SshSettings s = SshBlock.resolve("10.0.0.5", null, null, env(null));
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
        SshSettings s = SshBlock.resolve("h1", resource, provider, env(null));
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
        SshSettings s = SshBlock.resolve("10.0.0.9", null, provider, env(null));
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
        assertThat(SshBlock.resolve("h1", null, null, env(socket)).agent()).isTrue();
        assertThat(SshBlock.resolve("h1", null, null, env(null)).agent()).isFalse();
        assertThat(SshBlock.resolve("h1", null, null, env("")).agent()).isFalse();
        assertThat(SshBlock.resolve("h1", null, block(Map.of("private_key", Value.string("K"))), env(socket))
                        .agent())
                .isFalse();
        assertThat(SshBlock.resolve("h1", null, block(Map.of("password", Value.string("P"))), env(socket))
                        .agent())
                .isFalse();
        assertThat(SshBlock.resolve("h1", null, null, env(socket)).agentSocket())
                .isEmpty();
    }

    @Test
    void anExplicitAgentSettingWinsAndTheBastionInheritsIt() {
        Value provider = block(Map.of(
                "private_key", Value.string("K"), "agent", Value.bool(true), "bastion_host", Value.string("10.0.0.1")));
        SshSettings on = SshBlock.resolve("h1", null, provider, env(null));
        assertThat(on.agent()).isTrue();
        assertThat(on.bastion().orElseThrow().agent()).isTrue();

        SshSettings off = SshBlock.resolve(
                "h1",
                block(Map.of("agent", Value.bool(false))),
                block(Map.of("bastion_host", Value.string("10.0.0.1"))),
                env("/tmp/ssh-agent.sock"));
        assertThat(off.agent()).isFalse();
        assertThat(off.bastion().orElseThrow().agent()).isFalse();

        SshSettings byDefault = SshBlock.resolve(
                "h1", null, block(Map.of("bastion_host", Value.string("10.0.0.1"))), env("/tmp/ssh-agent.sock"));
        assertThat(byDefault.bastion().orElseThrow().agent()).isTrue();
    }

    @Test
    void tildeAndTheSshDefaultsMeanTheHomeOfTheUserRunningTerraform() {
        SshSettings s = SshBlock.resolve(
                "h1", block(Map.of("known_hosts_file", Value.string("~/.ssh/lab_hosts"))), null, env("/run/agent"));

        assertThat(s.knownHostsFile()).contains("/home/tester/.ssh/lab_hosts");
        assertThat(s.clientDefaults().sshDirectory()).isEqualTo(Path.of("/home/tester/.ssh"));
        assertThat(s.clientDefaults().agentSocket()).contains("/run/agent");
    }

    @Test
    void privateKeysNeverAppearInSettingsText() {
        SshSettings s = SshBlock.resolve(
                "h1",
                null,
                block(Map.of(
                        "private_key", Value.string("SECRET-KEY-TEXT"), "password", Value.string("SECRET-PASSWORD"))),
                env(null));
        assertThat(s.toString()).doesNotContain("SECRET-KEY-TEXT").doesNotContain("SECRET-PASSWORD");
    }

    @Test
    void secretsCanOnlyBeGivenInTheProviderBlockWhichTerraformNeverStores() {
        var provider = SshBlock.inProvider("").block().type().attributeTypes().keySet();
        var resource = SshBlock.inResource("").block().type().attributeTypes().keySet();
        assertThat(provider).contains("private_key", "password", "bastion_private_key", "bastion_password");
        assertThat(resource)
                .doesNotContain("private_key", "password", "bastion_private_key", "bastion_password")
                .contains("private_key_file", "bastion_private_key_file", "user", "host_key");
        assertThat(SshBlock.inResource("").block().attributes())
                .noneMatch(a -> a.sensitive())
                .as("nothing in a resource's ssh block needs hiding");
    }

    @Test
    void aResourceNamesItsOwnKeyByPathReadFromTheUsersDirectoriesWhenConnecting(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("keys"));
        Files.writeString(home.resolve("keys/host-key"), "RESOURCE-KEY");
        Files.writeString(home.resolve("work-key"), "RELATIVE-KEY");
        UserEnvironment user = new UserEnvironment(home, home, Map.of());
        Value provider = block(Map.of("private_key", Value.string("PROVIDER-KEY")));

        assertThat(SshBlock.resolve(
                                "h1",
                                block(Map.of("private_key_file", Value.string("~/keys/host-key"))),
                                provider,
                                user)
                        .privateKey())
                .as("the resource's own key wins over the provider's")
                .contains("RESOURCE-KEY");
        assertThat(SshBlock.resolve("h1", block(Map.of("private_key_file", Value.string("work-key"))), null, user)
                        .privateKey())
                .as("relative to the directory Terraform runs in")
                .contains("RELATIVE-KEY");
        assertThat(SshBlock.resolve("h1", null, provider, user).privateKey()).contains("PROVIDER-KEY");
        assertThatThrownBy(() -> SshBlock.resolve(
                        "h1", block(Map.of("private_key_file", Value.string("~/missing"))), provider, user))
                .isInstanceOf(OperatorException.class)
                .hasMessageContaining("private_key_file")
                .hasMessageContaining(home.resolve("missing").toString());
    }

    @Test
    void durationsAcceptMillisecondsSecondsAndMinutes() {
        assertThat(SshBlock.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(SshBlock.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(SshBlock.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    }
}
