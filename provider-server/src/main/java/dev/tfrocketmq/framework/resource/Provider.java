package dev.tfrocketmq.framework.resource;

import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.value.Value;
import java.util.List;

/** The provider itself: its configuration schema and the types it offers. */
public interface Provider {
    Schema schema();

    default void validate(Requests.Validate request, Diagnostics diagnostics) {}

    /** Called once per process before any read, plan or apply. Connect lazily: never contact hosts here. */
    void configure(Value config, Diagnostics diagnostics);

    List<Resource> resources();

    List<DataSource> dataSources();

    /** Release connections and clients; called on shutdown. */
    default void close() {}
}
