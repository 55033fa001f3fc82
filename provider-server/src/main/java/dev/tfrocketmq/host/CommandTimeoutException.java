package dev.tfrocketmq.host;

import java.time.Duration;
import java.util.List;

/** A command did not finish in time; it was killed. */
public final class CommandTimeoutException extends HostException {

    private static final long serialVersionUID = 1L;

    private final List<String> argv;
    private final Duration timeout;

    public CommandTimeoutException(String hostName, List<String> argv, Duration timeout) {
        super("command on " + hostName + " did not finish within " + format(timeout) + " and was killed\ncommand: "
                + ShellQuote.abbreviate(argv));
        this.argv = List.copyOf(argv);
        this.timeout = timeout;
    }

    public List<String> argv() {
        return argv;
    }

    public Duration timeout() {
        return timeout;
    }

    private static String format(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }
}
