package dev.tfrocketmq.framework.resource;

import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.schema.Schema;

/**
 * A managed resource type. The framework owns the protocol, the plan rules and the consistency checks; a resource
 * only says what it is and how to create, read, update and delete it.
 */
public interface Resource {
    String typeName();

    Schema schema();

    /** Cross-attribute checks beyond per-attribute validators. Config may hold unknowns: skip those. */
    default void validate(Requests.Validate request, Diagnostics diagnostics) {}

    /** Fill derived computed values, mark values that will change unknown, request replacement. */
    default void modifyPlan(Requests.Plan request, PlanResponse response) {}

    void create(Requests.Create request, StateResponse response);

    /** Set the state to what exists; {@link StateResponse#markGone()} only on a definite "does not exist". */
    void read(Requests.Read request, StateResponse response);

    void update(Requests.Update request, StateResponse response);

    /** Treat "already gone" as success. */
    void delete(Requests.Delete request, Diagnostics diagnostics);
}
