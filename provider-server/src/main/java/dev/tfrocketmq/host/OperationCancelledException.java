package dev.tfrocketmq.host;

/**
 * An operation on a host was stopped because its {@link Host#cancellation()} fired: Terraform asked the provider to
 * stop (Ctrl-C) or gave up on the call. A command that was running has been killed with its process group.
 */
public final class OperationCancelledException extends HostException {

    private static final long serialVersionUID = 1L;

    public OperationCancelledException(String hostName, String operation) {
        super(operation + " on " + hostName + " was stopped: Terraform asked the provider to stop");
    }
}
