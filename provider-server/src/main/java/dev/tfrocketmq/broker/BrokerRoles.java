package dev.tfrocketmq.broker;

import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.resource.PlanResponse;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import dev.tfrocketmq.process.ProcessKind;

/** {@code broker_role} follows {@code broker_id}: id 0 is a master (ASYNC_MASTER unless set), any other a SLAVE. */
final class BrokerRoles implements ProcessKind.PlanDefaults, ProcessKind.ConfigCheck {
    static final String ASYNC_MASTER = "ASYNC_MASTER";
    static final String SYNC_MASTER = "SYNC_MASTER";
    static final String SLAVE = "SLAVE";

    @Override
    public void fill(Value config, PlanResponse response, String hostAddress) {
        Value id = response.attribute("broker_id");
        if (config.attribute("broker_role").isNull() && id.isKnown()) {
            response.setAttribute("broker_role", Value.string(id.asNumber().signum() == 0 ? ASYNC_MASTER : SLAVE));
        }
    }

    @Override
    public void check(Value config, Diagnostics diagnostics) {
        Value id = config.attribute("broker_id");
        Value role = config.attribute("broker_role");
        if (!id.isKnown() || !role.isKnown() || role.isNull()) {
            return;
        }
        boolean master = id.isNull() || id.asNumber().signum() == 0;
        boolean slaveRole = SLAVE.equals(role.asString());
        if (master && slaveRole) {
            diagnostics.attributeError(
                    ValuePath.root().attribute("broker_role"),
                    "broker_role does not match broker_id",
                    "broker_id 0 is the master of its group, but broker_role is SLAVE. Set broker_role to "
                            + "ASYNC_MASTER or SYNC_MASTER, or give the slave a broker_id of 1 or more.");
        } else if (!master && !slaveRole) {
            diagnostics.attributeError(
                    ValuePath.root().attribute("broker_role"),
                    "broker_role does not match broker_id",
                    "broker_id " + id.asNumber().toPlainString() + " is a slave, but broker_role is " + role.asString()
                            + ". Set broker_role to SLAVE, or set broker_id to 0 for a master.");
        }
    }
}
