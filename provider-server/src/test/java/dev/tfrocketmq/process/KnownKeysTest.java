package dev.tfrocketmq.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

final class KnownKeysTest {
    @Test
    void brokerKeysComeFromEveryConfigClassTheBrokerReads() {
        assertThat(KnownKeys.BROKER.available()).isTrue();
        assertThat(List.of(
                        "brokerClusterName",
                        "brokerPermission",
                        "mappedFileSizeCommitLog",
                        "maxMessageSize",
                        "listenPort",
                        "clientWorkerThreads",
                        "authenticationEnabled",
                        "rmqAddressServerDomain"))
                .allSatisfy(k -> assertThat(KnownKeys.BROKER.contains(k)).as(k).isTrue());
    }

    @Test
    void nameServerKeysIncludeItsOwnAndItsNettySettings() {
        assertThat(KnownKeys.NAMESERVER.available()).isTrue();
        assertThat(KnownKeys.NAMESERVER.contains("orderMessageEnable")).isTrue();
        assertThat(KnownKeys.NAMESERVER.contains("listenPort")).isTrue();
        assertThat(KnownKeys.NAMESERVER.contains("mappedFileSizeCommitLog")).isFalse();
    }

    @Test
    void aMisspelledKeyIsUnknownAndGetsASuggestion() {
        assertThat(KnownKeys.BROKER.contains("mappedFileSizeCommitlog")).isFalse();
        assertThat(KnownKeys.BROKER.suggest("mappedFileSizeCommitlog")).contains("mappedFileSizeCommitLog");
        assertThat(KnownKeys.BROKER.suggest("brokerPermision")).contains("brokerPermission");
    }

    @Test
    void missingConfigClassesTurnTheCheckOffRatherThanRejectEverything() {
        assertThat(KnownKeys.of(List.of("org.example.NoSuchConfig")).available())
                .isFalse();
    }
}
