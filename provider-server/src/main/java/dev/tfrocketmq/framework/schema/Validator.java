package dev.tfrocketmq.framework.schema;

import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;

/** Checks one configured value. Called only for known, non-null values; unknown parts are left for later. */
public interface Validator {
    /** What the validator accepts, in words an operator understands ("one of ASYNC_FLUSH, SYNC_FLUSH"). */
    String description();

    void validate(ValuePath path, Value value, Diagnostics diagnostics);
}
