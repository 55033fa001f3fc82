package dev.tfrocketmq.host;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.List;

/** Outcome of a command that ran to completion. Output is decoded as UTF-8. */
public record ExecResult(int exitCode, String stdout, String stderr) implements Serializable {

    public ExecResult {
        requireNonNull(stdout, "stdout");
        requireNonNull(stderr, "stderr");
    }

    /** Whether the command exited with status 0. */
    public boolean ok() {
        return exitCode == 0;
    }

    /** The last {@code lines} lines of standard error, without a trailing line break. */
    public String stderrTail(int lines) {
        return tail(stderr, lines);
    }

    /** The last {@code lines} lines of standard output, without a trailing line break. */
    public String stdoutTail(int lines) {
        return tail(stdout, lines);
    }

    static String tail(String text, int lines) {
        if (lines < 0) {
            throw new IllegalArgumentException("lines must not be negative: " + lines);
        }
        String trimmed = text.stripTrailing();
        if (lines == 0 || trimmed.isEmpty()) {
            return "";
        }
        List<String> all = trimmed.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
