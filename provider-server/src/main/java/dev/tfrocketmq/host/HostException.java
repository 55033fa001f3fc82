package dev.tfrocketmq.host;

/** An operation on a host failed. The message names the host and the operation. */
public class HostException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HostException(String message) {
        super(message);
    }

    public HostException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Message of the form {@code "<operation> on <host> failed: <detail>"}. */
    public HostException(String hostName, String operation, String detail, Throwable cause) {
        super(operation + " on " + hostName + " failed: " + detail, cause);
    }
}
