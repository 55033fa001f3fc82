package dev.tfrocketmq.broker;

import dev.tfrocketmq.context.PlannedComponents;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.process.ProcessKind;
import java.util.Optional;

/** A broker belongs to its group (cluster_name, broker_name): broker_id 0 leads it (the master), the others follow. */
final class BrokerMembership implements ProcessKind.Membership {
    @Override
    public Optional<PlannedComponents.Group> group(Value planned) {
        Value cluster = planned.attribute("cluster_name");
        Value name = planned.attribute("broker_name");
        Value id = planned.attribute("broker_id");
        if (!known(cluster) || !known(name) || !known(id)) {
            return Optional.empty();
        }
        long brokerId = id.asLong();
        return Optional.of(new PlannedComponents.Group(
                cluster.asString(),
                name.asString(),
                brokerId,
                brokerId == 0 ? PlannedComponents.Role.LEADER : PlannedComponents.Role.FOLLOWER));
    }

    @Override
    public String describe(Value planned) {
        return "rocketmq_broker " + text(planned.attribute("broker_name")) + " (broker_id "
                + text(planned.attribute("broker_id")) + ", listen_port " + text(planned.attribute("listen_port"))
                + ")";
    }

    private static boolean known(Value v) {
        return v.isKnown() && !v.isNull();
    }

    private static String text(Value v) {
        if (!known(v)) {
            return "(known after apply)";
        }
        return v.type().equals(dev.tfrocketmq.framework.value.TfType.NUMBER)
                ? v.asNumber().toPlainString()
                : v.asString();
    }
}
