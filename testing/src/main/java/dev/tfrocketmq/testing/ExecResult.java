package dev.tfrocketmq.testing;

import java.time.Duration;
import java.util.List;

/** What one command did: its exit code and everything it printed. */
public record ExecResult(
        List<String> command, int exitCode, String stdout, String stderr, boolean timedOut, Duration took) {
    private static final int TAIL_LINES = 80;

    public ExecResult {
        command = List.copyOf(command);
    }

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /** Stdout followed by stderr. */
    public String output() {
        if (stderr.isEmpty()) {
            return stdout;
        }
        return stdout.isEmpty() ? stderr : stdout + "\n" + stderr;
    }

    public String tail() {
        String[] lines = output().split("\n", -1);
        int from = Math.max(0, lines.length - TAIL_LINES);
        StringBuilder out = new StringBuilder();
        if (from > 0) {
            out.append("[... ").append(from).append(" earlier lines not shown ...]\n");
        }
        for (int i = from; i < lines.length; i++) {
            out.append(lines[i]).append('\n');
        }
        return out.toString();
    }

    /** One line on what ran and how it ended, then the tail of its output: for assertion messages. */
    public String describe() {
        String ending =
                timedOut ? "timed out after " + seconds(took) : "exited " + exitCode + " after " + seconds(took);
        return "`" + String.join(" ", command) + "` " + ending + "\n--- output ---\n" + tail();
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
