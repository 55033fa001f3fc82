package dev.tfrocketmq.auth;

import dev.tfrocketmq.context.ProviderContext;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.resource.PlanResponse;
import dev.tfrocketmq.framework.resource.Requests;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import java.util.List;

/** What {@code rocketmq_user} and {@code rocketmq_acl} plan alike: the version check and the repair of brokers. */
final class AuthResources {
    static final String BROKERS = "brokers";

    private AuthResources() {}

    /**
     * At plan: a cluster the provider can already reach is checked for ACL 2.0 (a definite older version is an
     * error naming it; a cluster not there yet is checked again at apply). On an update, a broker of the cluster
     * that lacks the object (deleted there, or joined since) puts it into {@code brokers}, so the plan shows the
     * write that repairs it.
     */
    static void plan(ProviderContext context, String typeName, Requests.Plan request, PlanResponse response) {
        Value cluster = response.attribute("cluster_name");
        Value nameServers = response.attribute("name_servers");
        if (!cluster.isKnown()
                || !nameServers.isWhollyKnown()
                || context.nameServers(nameServers).isEmpty()) {
            return;
        }
        AuthAdmin admin;
        List<String> labels;
        try {
            admin = AuthAdmin.of(context, response.planned());
            labels = admin.labels();
        } catch (OperatorException e) {
            if (request.prior() == null) {
                return; // the cluster may be created by this very apply
            }
            throw e;
        }
        admin.requireAcl2(typeName);
        Value prior = request.prior();
        if (prior != null && cluster.equals(prior.attribute("cluster_name"))) {
            Value carried = prior.attribute(BROKERS);
            Value all =
                    Value.list(TfType.STRING, labels.stream().map(Value::string).toList());
            if (carried.isWhollyKnown() && !all.equals(carried)) {
                response.setAttribute(BROKERS, all);
            }
        }
    }

    static Value labels(List<String> written) {
        return Value.list(TfType.STRING, written.stream().map(Value::string).toList());
    }
}
