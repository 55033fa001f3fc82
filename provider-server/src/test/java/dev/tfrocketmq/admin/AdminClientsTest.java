package dev.tfrocketmq.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.Test;

final class AdminClientsTest {
    @Test
    void oneClientPerNameServerSetWhateverTheOrderAndIdleOnesAreClosedAndStartedAgainOnUse() throws Exception {
        AdminClients clients = new AdminClients();
        try {
            DefaultMQAdminExt first = clients.forNameServers(List.of("127.0.0.1:1", "127.0.0.1:2"));
            assertThat(clients.forNameServers(List.of("127.0.0.1:2", "127.0.0.1:1")))
                    .isSameAs(first);
            assertThat(clients.closeIdle(Duration.ofHours(1))).isZero();
            Thread.sleep(20);
            assertThat(clients.closeIdle(Duration.ofMillis(5))).isEqualTo(1);
            assertThat(clients.forNameServers(List.of("127.0.0.1:1", "127.0.0.1:2")))
                    .isNotSameAs(first);
        } finally {
            clients.close();
        }
    }
}
