package dev.tfrocketmq.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class AdminClientsTest {
    private static final List<String> NS = List.of("127.0.0.1:1", "127.0.0.1:2");

    private final AdminClients pool = new AdminClients();

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void aClientIsSharedOnlyByViewsPresentingTheSameCredentials() {
        AdminCredentials alice = new AdminCredentials("alice", "secret-a");
        DefaultMQAdminExt a1 = pool.as(Optional.of(alice)).forNameServers(NS);
        DefaultMQAdminExt a2 = pool.as(Optional.of(new AdminCredentials("alice", "secret-a")))
                .forNameServers(List.of("127.0.0.1:2", "127.0.0.1:1"));
        DefaultMQAdminExt wrongSecret =
                pool.as(Optional.of(new AdminCredentials("alice", "secret-b"))).forNameServers(NS);
        DefaultMQAdminExt anonymous = pool.forNameServers(NS);
        DefaultMQAdminExt anonymousView = pool.as(Optional.empty()).forNameServers(NS);

        assertThat(a2).as("same credentials and name servers, in any order").isSameAs(a1);
        assertThat(wrongSecret).as("same access key, another secret").isNotSameAs(a1);
        assertThat(anonymous).as("no credentials").isNotSameAs(a1).isNotSameAs(wrongSecret);
        assertThat(anonymousView).isSameAs(anonymous);
    }

    @Test
    void credentialsNeverShowTheirSecret() {
        AdminCredentials c = new AdminCredentials("alice", "MARKER-secret");

        assertThat(c.toString()).contains("alice").doesNotContain("MARKER");
        assertThat(c.fingerprint()).doesNotContain("MARKER").hasSize(64);
    }

    @Test
    void innerCredentialsAreDerivedStablyAndRevealNothingOfTheSecret() {
        AdminCredentials c = new AdminCredentials("alice", "MARKER-secret");

        AdminCredentials inner = c.inner();

        assertThat(inner).isEqualTo(new AdminCredentials("alice", "MARKER-secret").inner());
        assertThat(inner.accessKey()).startsWith("rocketmq-inner-").matches("[A-Za-z0-9_-]+");
        assertThat(inner.secretKey()).matches("[A-Za-z0-9_-]{40,}").doesNotContain("MARKER");
        assertThat(new AdminCredentials("alice", "other").inner()).isNotEqualTo(inner);
    }

    @Test
    void oneClientPerNameServerSetWhateverTheOrderAndIdleOnesAreClosedAndStartedAgainOnUse() throws Exception {
        DefaultMQAdminExt first = pool.forNameServers(NS);
        assertThat(pool.forNameServers(List.of("127.0.0.1:2", "127.0.0.1:1"))).isSameAs(first);
        assertThat(pool.closeIdle(Duration.ofHours(1))).isZero();
        Thread.sleep(20);
        assertThat(pool.closeIdle(Duration.ofMillis(5))).isEqualTo(1);
        assertThat(pool.forNameServers(NS)).isNotSameAs(first);
    }
}
