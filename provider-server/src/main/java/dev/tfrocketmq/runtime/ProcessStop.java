package dev.tfrocketmq.runtime;

import static java.util.Objects.requireNonNull;

import dev.tfrocketmq.host.CommandFailedException;
import dev.tfrocketmq.host.ExecResult;
import dev.tfrocketmq.host.Host;
import dev.tfrocketmq.host.ShellScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Stops a component's process with SIGTERM, so that RocketMQ runs its own shutdown, and cuts that shutdown short with
 * SIGKILL as soon as its {@link StopMarkers} show that everything is written: a broker's shutdown spends most of its
 * time in fixed waits (thread joins on 3 s polls, a 3 s sleep in the store, pool terminations), and the part after
 * the store's clean close and the last consumer-offset write keeps nothing. Without markers, or when they do not
 * show up, SIGKILL follows after {@code graceful}. One command on the host watches the process and the files, so the
 * stop costs no round trip per poll.
 */
public final class ProcessStop {
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final Duration NOTHING_TO_WRITE_GRACE = Duration.ofMillis(500);

    /** $1 dir, $2 pid, $3 polls before SIGKILL, $4 the signal script, $5 number of gone markers, then the markers. */
    private static final String STOP_SCRIPT = ProcessControl.ALIVE_FUNCTION + """
      d=$1 pid=$2 limit=$3 signal=$4 ngone=$5
      shift 5
      stamp="$d/.stop-mark"
      : >"$stamp" || exit 1
      sh -c "$signal" sh "$pid" TERM
      i=0 how=exited
      while alive "$pid"; do
        if [ "$ngone" -gt 0 ]; then
          present=0 j=0
          for f; do
            j=$((j + 1))
            if [ "$j" -le "$ngone" ] && [ -e "$f" ]; then present=1; fi
          done
          if [ "$present" = 1 ]; then
            : >"$stamp"
          else
            written=1 j=0
            for f; do
              j=$((j + 1))
              if [ "$j" -gt "$ngone" ] && [ -z "$(find "$f" -newer "$stamp" 2>/dev/null)" ]; then written=0; fi
            done
            if [ "$written" = 1 ]; then how=cut; sh -c "$signal" sh "$pid" KILL; break; fi
          fi
        fi
        if [ "$i" -ge "$limit" ]; then
          if [ "$ngone" -lt 0 ]; then how=cut; else how=timeout; fi
          sh -c "$signal" sh "$pid" KILL
          break
        fi
        sleep 0.05 2>/dev/null || sleep 1
        i=$((i + 1))
      done
      k=0
      while alive "$pid" && [ "$k" -lt 200 ]; do sleep 0.05 2>/dev/null || sleep 1; k=$((k + 1)); done
      if alive "$pid"; then echo alive; exit 0; fi
      rm -f "$stamp" "$d/pid"
      echo "$how"
      """;

    /** How a stop ended. */
    public enum How {
        /** Nothing was running. */
        NOT_RUNNING,
        /** The process exited on its own after SIGTERM. */
        EXITED,
        /** SIGKILL once the markers showed everything written (or at once, with nothing to write). */
        CUT_SHORT,
        /** SIGKILL after the graceful time ran out. */
        KILLED_AFTER_TIMEOUT
    }

    /** The stop of one process: how it ended, its pid and how long it took. */
    public record Outcome(How how, long pid, Duration took) {}

    private ProcessStop() {}

    /**
     * Stops the process of {@code dir}, if one runs.
     *
     * @throws ComponentException when it survives SIGKILL
     */
    public static Outcome stop(Host host, String dir, Duration graceful, StopMarkers markers) {
        requireNonNull(markers, "markers");
        String checked = RemotePath.checkAbsolute("component directory", dir, 2);
        ProcessStatus.Running running =
                new ProcessControl(host).running(checked).orElse(null);
        if (running == null) {
            return new Outcome(How.NOT_RUNNING, -1, Duration.ZERO);
        }
        long started = System.nanoTime();
        Duration allowed = markers.nothingToWrite() ? NOTHING_TO_WRITE_GRACE : graceful;
        List<String> args = new ArrayList<>(List.of(
                checked,
                Long.toString(running.pid()),
                Long.toString(Math.max(1, allowed.toMillis() / POLL.toMillis())),
                ProcessControl.SIGNAL_SCRIPT,
                Integer.toString(markers.nothingToWrite() ? -1 : markers.gone().size())));
        args.addAll(markers.gone());
        args.addAll(markers.rewritten());
        List<String> argv = ShellScript.argv(STOP_SCRIPT, args.toArray(String[]::new));
        // polls are slower than their nominal 50 ms: allow for it, plus the wait after SIGKILL
        ExecResult result =
                host.exec(argv, allowed.multipliedBy(2).plus(KILL_WAIT).plus(Duration.ofSeconds(30)));
        if (!result.ok()) {
            throw new CommandFailedException(host.name(), "stopping the process of " + checked, argv, result);
        }
        String answer = result.stdout().strip();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        return switch (answer) {
            case "exited" -> new Outcome(How.EXITED, running.pid(), took);
            case "cut" -> new Outcome(How.CUT_SHORT, running.pid(), took);
            case "timeout" -> new Outcome(How.KILLED_AFTER_TIMEOUT, running.pid(), took);
            case "alive" ->
                throw new ComponentException("the process " + running.pid() + " of " + checked + " on " + host.name()
                        + " is still alive " + KILL_WAIT.toSeconds() + " s after SIGKILL");
            default ->
                throw new ComponentException(
                        "unexpected answer from the stop of " + checked + " on " + host.name() + ": " + answer);
        };
    }
}
