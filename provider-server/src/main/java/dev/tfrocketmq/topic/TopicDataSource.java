package dev.tfrocketmq.topic;

import dev.tfrocketmq.context.ProviderContext;
import dev.tfrocketmq.context.RocketMqNames;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.resource.DataSource;
import dev.tfrocketmq.framework.resource.Requests;
import dev.tfrocketmq.framework.resource.StateResponse;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import java.util.List;

/** {@code rocketmq_topic} data source: an existing topic as the cluster's masters report it. */
public final class TopicDataSource implements DataSource {
    private static final Schema SCHEMA = Schema.of(Block.of(
            "An existing topic: queue numbers, permission, order, message type and the brokers carrying it.",
            Attribute.string("id")
                    .computed()
                    .description("`<cluster_name>/<name>`.")
                    .build(),
            Attribute.string("name")
                    .required()
                    .validate(RocketMqNames.topic())
                    .description("Topic name.")
                    .build(),
            Attribute.string("cluster_name")
                    .optional()
                    .computed()
                    .validate(RocketMqNames.clusterOrBroker())
                    .description("Cluster. Default `" + RocketMqNames.DEFAULT_CLUSTER + "`.")
                    .build(),
            RocketMqNames.nameServers()
                    .description("Name servers; defaults to the provider's `name_servers`.")
                    .build(),
            Attribute.number(TopicState.READ_QUEUE_NUMS).computed().build(),
            Attribute.number(TopicState.WRITE_QUEUE_NUMS).computed().build(),
            Attribute.number(TopicState.PERM).computed().build(),
            Attribute.bool(TopicState.ORDER).computed().build(),
            Attribute.string(TopicState.MESSAGE_TYPE)
                    .computed()
                    .description("Empty when unspecified.")
                    .build(),
            Attribute.of(TopicState.BROKER_NAMES, TfType.list(TfType.STRING))
                    .computed()
                    .description("Master brokers of the cluster that carry the topic.")
                    .build()));

    private final ProviderContext context;

    public TopicDataSource(ProviderContext context) {
        this.context = context;
    }

    @Override
    public String typeName() {
        return "rocketmq_topic";
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public void read(Requests.ReadData request, StateResponse response) {
        Value config = request.config();
        String name = config.attribute("name").asString();
        String cluster = config.attribute("cluster_name").isNull()
                ? RocketMqNames.DEFAULT_CLUSTER
                : config.attribute("cluster_name").asString();
        List<String> nameServers = context.nameServers(config.attribute("name_servers"));
        TopicAdmin admin = TopicAdmin.of(context, nameServers, cluster, new TopicTables());
        TopicAdmin.Found found = admin.read(name);
        if (found instanceof TopicAdmin.Found.Unverified unverified) {
            throw new OperatorException("Cannot read topic " + name, unverified.why() + ".");
        }
        if (!(found instanceof TopicAdmin.Found.Present present)) {
            throw new OperatorException(
                    "Topic " + name + " not found",
                    "No master of cluster " + cluster + " (name servers " + String.join(";", nameServers)
                            + ") has topic " + name + ". Check name, cluster_name and name_servers.");
        }
        TopicState s = present.state();
        Value read = s.settingsOn(config)
                .withAttribute("id", Value.string(cluster + "/" + name))
                .withAttribute("cluster_name", Value.string(cluster))
                // A data source reports everything; an unspecified type reads as "".
                .withAttribute(TopicState.MESSAGE_TYPE, Value.string(s.messageType() == null ? "" : s.messageType()))
                .withAttribute(TopicState.BROKER_NAMES, s.brokerNamesValue());
        response.setState(read);
    }
}
