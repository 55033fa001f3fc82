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
    void everySupportedVersionHasBrokerAndNameServerLists() {
        assertThat(KnownKeys.versions()).contains("4.9.7", "5.3.3", "5.5.0");
        assertThat(KnownKeys.versions()).allSatisfy(v -> {
            assertThat(KnownKeys.broker(v))
                    .as(v)
                    .hasValueSatisfying(k -> assertThat(k.available()).isTrue());
            assertThat(KnownKeys.nameServer(v))
                    .as(v)
                    .hasValueSatisfying(k -> assertThat(k.available()).isTrue());
        });
    }

    @Test
    void theDefaultListsAreThoseOf533() {
        assertThat(KnownKeys.broker(KnownKeys.DEFAULT_VERSION)).containsSame(KnownKeys.BROKER);
        assertThat(KnownKeys.nameServer("5.3.3")).containsSame(KnownKeys.NAMESERVER);
    }

    @Test
    void eachVersionHasItsOwnKeys() {
        KnownKeys broker4 = KnownKeys.broker("4.9.7").orElseThrow();
        assertThat(broker4.contains("aclEnable")).isTrue();
        assertThat(broker4.contains("mappedFileSizeCommitLog")).isTrue();
        assertThat(broker4.contains("authenticationEnabled")).isFalse();
        assertThat(broker4.contains("timerWheelEnable")).isFalse();
        assertThat(KnownKeys.broker("5.5.0").orElseThrow().contains("timerWheelEnable"))
                .isTrue();
        assertThat(KnownKeys.nameServer("4.9.7").orElseThrow().contains("enableControllerInNamesrv"))
                .isFalse();
        assertThat(KnownKeys.NAMESERVER.contains("enableControllerInNamesrv")).isTrue();
    }

    @Test
    void onlySettersRocketMqCanFeedAValueAreKeys() {
        // ControllerConfig.setJraftConfig(JraftConfig): RocketMQ cannot turn a property into a JraftConfig
        assertThat(KnownKeys.NAMESERVER.contains("jraftConfig")).isFalse();
        // MessageStoreConfig.setBrokerRole(BrokerRole) has a String overload, which RocketMQ uses
        assertThat(KnownKeys.BROKER.contains("brokerRole")).isTrue();
    }

    @Test
    void aVersionWithoutListsHasNone() {
        assertThat(KnownKeys.broker("5.2.0")).isEmpty();
        assertThat(KnownKeys.nameServer("5.2.0")).isEmpty();
        assertThat(KnownKeys.broker("../5.3.3")).isEmpty();
        assertThat(KnownKeys.broker(null)).isEmpty();
    }

    @Test
    void everyVersionAppliesTheRetentionKeysLiveButNotTheListenPort() {
        assertThat(KnownKeys.versions()).allSatisfy(v -> {
            KnownKeys broker = KnownKeys.broker(v).orElseThrow();
            assertThat(List.of("deleteWhen", "fileReservedTime", "brokerPermission"))
                    .allSatisfy(k -> {
                        assertThat(broker.appliesLive(k)).as(v + " " + k).isTrue();
                        assertThat(broker.acceptsLiveUpdate(k)).as(v + " " + k).isTrue();
                    });
            assertThat(broker.acceptsLiveUpdate("listenPort")).as(v).isTrue();
            assertThat(broker.appliesLive("listenPort")).as(v).isFalse();
            assertThat(KnownKeys.nameServer(v).orElseThrow().appliesLive("orderMessageEnable"))
                    .as(v)
                    .isTrue();
        });
    }

    @Test
    void keysTheUpdateRequestRefusesAreNotLiveUpdatable() {
        assertThat(KnownKeys.BROKER.contains("brokerConfigPath")).isTrue();
        assertThat(KnownKeys.BROKER.acceptsLiveUpdate("brokerConfigPath")).isFalse();
        // AuthConfig is read at start but not registered for updates
        assertThat(KnownKeys.BROKER.acceptsLiveUpdate("authenticationEnabled")).isFalse();
        assertThat(KnownKeys.nameServer("4.9.7").orElseThrow().acceptsLiveUpdate("kvConfigPath"))
                .isFalse();
        assertThat(KnownKeys.broker("4.9.7").orElseThrow().acceptsLiveUpdate("rmqAddressServerDomain"))
                .isFalse();
    }
}
