package dev.tfrocketmq.host;

import java.util.List;

/** A command ran on a host and exited with a non-zero status. */
public final class CommandFailedException extends HostException {

    private static final long serialVersionUID = 1L;

    private static final int STDERR_LINES = 20;

    private final String hostName;
    private final List<String> argv;
    private final ExecResult result;

    public CommandFailedException(String hostName, List<String> argv, ExecResult result) {
        this(hostName, "command", argv, result);
    }

    /** {@code purpose} says what the command was for, e.g. "extracting the distribution". */
    public CommandFailedException(String hostName, String purpose, List<String> argv, ExecResult result) {
        super(message(hostName, purpose, argv, result));
        this.hostName = hostName;
        this.argv = List.copyOf(argv);
        this.result = result;
    }

    public String hostName() {
        return hostName;
    }

    public List<String> argv() {
        return argv;
    }

    public int exitCode() {
        return result.exitCode();
    }

    public String stderrTail() {
        return result.stderrTail(STDERR_LINES);
    }

    public ExecResult result() {
        return result;
    }

    /** The command as a shell would be given it. */
    public String commandLine() {
        return ShellQuote.join(argv);
    }

    private static String message(String hostName, String purpose, List<String> argv, ExecResult result) {
        StringBuilder message = new StringBuilder()
                .append(purpose)
                .append(" on ")
                .append(hostName)
                .append(" failed with exit status ")
                .append(result.exitCode());
        String stderr = result.stderrTail(STDERR_LINES);
        if (!stderr.isEmpty()) {
            message.append(": ").append(stderr);
        }
        return message.append("\ncommand: ").append(ShellQuote.abbreviate(argv)).toString();
    }
}
