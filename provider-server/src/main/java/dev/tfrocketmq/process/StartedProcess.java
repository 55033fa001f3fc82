package dev.tfrocketmq.process;

import dev.tfrocketmq.admin.AdminClients;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.host.Host;
import dev.tfrocketmq.runtime.ProcessControl;
import dev.tfrocketmq.runtime.ProcessStatus;

/**
 * A process just started, for its kind's readiness check.
 *
 * @param planned the planned values it was started with
 * @param host    where it runs
 * @param control start, stop and status of processes on that host
 * @param home    its directory, {@code <install_dir>/<kind>-<port>}
 * @param admin   admin clients to ask RocketMQ whether it serves
 */
public record StartedProcess(Value planned, Host host, ProcessControl control, String home, AdminClients admin) {

    /** The listen port of the plan. */
    public int port() {
        return planned.attribute("listen_port").asInt();
    }

    /** Whether it still runs. */
    public boolean isRunning() {
        return control.status(home) instanceof ProcessStatus.Running;
    }

    /**
     * For diagnostics: the error lines of its logs (a bind failure, an exception at start), then the last lines of
     * its console log.
     */
    public String logTail() {
        String errors = control.fatalLines(home, 15);
        String tail = control.logTail(home, 20);
        return (errors.isEmpty() ? "" : "Errors in its logs:\n" + errors + "\n\n") + "Last lines of its console log:\n"
                + tail;
    }
}
