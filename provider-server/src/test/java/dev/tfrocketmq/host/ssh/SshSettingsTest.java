package dev.tfrocketmq.host.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SshSettingsTest {

    private static final String KEY =
            "-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LWtleS1ib2R5\n" + "-----END OPENSSH PRIVATE KEY-----\n";

    private final SshSettings settings = SshSettings.of("10.0.0.5", 2222, "deploy", KEY, Duration.ofSeconds(10));

    @Test
    void toStringHidesThePrivateKeyAndThePassword() {
        SshSettings withPassword = new SshSettings(
                "10.0.0.5",
                22,
                "deploy",
                Optional.of(KEY),
                Optional.of("hunter2"),
                Optional.empty(),
                Optional.empty(),
                false,
                Duration.ofSeconds(5),
                false,
                Optional.of(settings));

        assertThat(withPassword.toString())
                .doesNotContain("c2VjcmV0LWtleS1ib2R5")
                .doesNotContain("hunter2")
                .contains("privateKey=Optional[<sensitive>]", "password=Optional[<sensitive>]");
        assertThat(settings.toString()).contains("password=Optional.empty");
    }

    @Test
    void theAgentIsOffUnlessAskedForAndSurvivesTheOtherWithers() {
        assertThat(settings.agent()).isFalse();
        assertThat(settings.agentSocket()).isEmpty();

        SshSettings withAgent = settings.withAgentSocket("/run/agent.sock")
                .withTimeout(Duration.ofSeconds(3))
                .withHostKey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl");

        assertThat(withAgent.agent()).isTrue();
        assertThat(withAgent.agentSocket()).contains("/run/agent.sock");
        assertThat(withAgent.withAgent(false).agent()).isFalse();
        assertThat(withAgent.toString()).contains("agent=true (/run/agent.sock)");
        assertThat(settings.toString()).contains("agent=false,");
    }

    @Test
    void displayNamesTheLoginAndTheBastion() {
        SshSettings jump = SshSettings.of("bastion.example", 22, "ops", KEY, Duration.ofSeconds(5));

        assertThat(settings.display()).isEqualTo("deploy@10.0.0.5:2222");
        assertThat(settings.withBastion(jump).display()).isEqualTo("deploy@10.0.0.5:2222 via ops@bastion.example:22");
    }

    @Test
    void aHostKeyThatIsNotAPublicKeyLineIsRejectedUpFront() {
        assertThatThrownBy(() -> settings.withHostKey("AAAAC3NzaC1lZDI1NTE5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ssh-ed25519 AAAA");
    }

    @Test
    void portsOutsideTheTcpRangeAndNonPositiveTimeoutsAreRejected() {
        assertThatThrownBy(() -> SshSettings.of("h", 0, "u", KEY, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port");
        assertThatThrownBy(() -> SshSettings.of("h", 22, "u", KEY, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
    }

    @Test
    void theOpenSshFingerprintIsTheUnpaddedBase64OfTheKeyBlobsSha256() {
        HostKeyCheck.KeyLine key = HostKeyCheck.parseKeyLine(
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl c");

        assertThat(HostKeyCheck.fingerprint(key)).isEqualTo("SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU");
    }
}
