package dev.tfrocketmq.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

final class AclPolicyTest {
    @Test
    void resourcesUseRocketMqsNotationForLiteralPrefixedAndAny() {
        assertThat(new AclPolicy("Topic", "orders", AclPolicy.LITERAL, List.of("Pub"), List.of(), "Allow").resource())
                .isEqualTo("Topic:orders");
        assertThat(new AclPolicy("Group", "app-", AclPolicy.PREFIXED, List.of("Sub"), List.of(), "Allow").resource())
                .isEqualTo("Group:app-*");
        assertThat(new AclPolicy(AclPolicy.ANY, null, AclPolicy.LITERAL, List.of("All"), List.of(), "Deny").resource())
                .isEqualTo("*");
    }

    @Test
    void whatABrokerReportsParsesBackIntoTypeNameAndPattern() {
        assertThat(AclPolicy.of("Group:app-*", List.of("Sub"), List.of("10.0.0.0/8"), "Allow"))
                .isEqualTo(new AclPolicy(
                        "Group", "app-", AclPolicy.PREFIXED, List.of("Sub"), List.of("10.0.0.0/8"), "Allow"));
        assertThat(AclPolicy.of("Cluster:DefaultCluster", List.of("Get"), List.of(), "Deny"))
                .isEqualTo(new AclPolicy(
                        "Cluster", "DefaultCluster", AclPolicy.LITERAL, List.of("Get"), List.of(), "Deny"));
        assertThat(AclPolicy.of("*", List.of("All"), List.of(), "Deny").resourceType())
                .isEqualTo(AclPolicy.ANY);
    }

    @Test
    void theOrderOfActionsAndAddressesIsNoDifferenceButTheirContentIs() {
        AclPolicy declared = new AclPolicy(
                "Topic", "t", AclPolicy.LITERAL, List.of("Pub", "Sub"), List.of("1.2.3.4", "10.0.0.0/8"), "Allow");

        assertThat(declared.sameAs(
                        AclPolicy.of("Topic:t", List.of("Sub", "Pub"), List.of("10.0.0.0/8", "1.2.3.4"), "Allow")))
                .isTrue();
        assertThat(declared.sameAs(AclPolicy.of("Topic:t", List.of("Sub"), List.of("10.0.0.0/8", "1.2.3.4"), "Allow")))
                .isFalse();
        assertThat(declared.sameAs(
                        AclPolicy.of("Topic:t", List.of("Sub", "Pub"), List.of("10.0.0.0/8", "1.2.3.4"), "Deny")))
                .isFalse();
    }
}
