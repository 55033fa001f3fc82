package dev.tfrocketmq.runtime;

import dev.tfrocketmq.host.HostException;

/** A component process did not start, stop or become ready as expected. */
public final class ComponentException extends HostException {

    private static final long serialVersionUID = 1L;

    public ComponentException(String message) {
        super(message);
    }

    public ComponentException(String message, Throwable cause) {
        super(message, cause);
    }
}
