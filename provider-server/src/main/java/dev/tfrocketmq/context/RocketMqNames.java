package dev.tfrocketmq.context;

import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Validator;
import dev.tfrocketmq.framework.schema.Validators;
import dev.tfrocketmq.framework.value.TfType;

/** RocketMQ's naming rules and the attributes every cluster-facing type shares. */
public final class RocketMqNames {
    /** The cluster a broker joins, and a topic lives in, when none is named: RocketMQ's own default. */
    public static final String DEFAULT_CLUSTER = "DefaultCluster";

    private static final Validator TOPIC = Validators.matches(
            "[%|a-zA-Z0-9_-]{1,127}",
            "a RocketMQ topic name: letters, digits, %, |, _ and - only, at most 127 characters");
    private static final Validator CLUSTER_OR_BROKER_NAME =
            Validators.matches("[A-Za-z0-9_-]{1,127}", "letters, digits, _ and - (at most 127)");

    private RocketMqNames() {}

    public static Validator topic() {
        return TOPIC;
    }

    /** Cluster and broker names. */
    public static Validator clusterOrBroker() {
        return CLUSTER_OR_BROKER_NAME;
    }

    /** Optional {@code name_servers}, falling back to the provider's (see {@link ProviderContext#nameServers}). */
    public static Attribute.Builder nameServers() {
        return Attribute.of("name_servers", TfType.list(TfType.STRING))
                .optional()
                .validate(Validators.eachElement(Validators.hostPort()));
    }
}
