package dev.tfrocketmq.framework.resource;

import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.schema.Schema;

/** A data source: reads something and returns a wholly known object. */
public interface DataSource {
    String typeName();

    Schema schema();

    default void validate(Requests.Validate request, Diagnostics diagnostics) {}

    void read(Requests.ReadData request, StateResponse response);
}
