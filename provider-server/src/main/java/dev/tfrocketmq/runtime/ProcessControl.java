package dev.tfrocketmq.runtime;

import static java.util.Objects.requireNonNull;

import dev.tfrocketmq.host.CommandFailedException;
import dev.tfrocketmq.host.ExecResult;
import dev.tfrocketmq.host.Host;
import dev.tfrocketmq.host.ShellScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Starts, inspects and stops the one long-running process of a component directory on a host.
 *
 * <p>Layout of a component directory: {@code conf/} (files as rendered), {@code run/} (their
 * working copies, which the process may rewrite), {@code logs/console.log}, {@code home/},
 * {@code launch.sh} and {@code pid}. The process is started detached, in its own session, so it
 * outlives the caller; everything happens through shell commands on the host.
 */
public final class ProcessControl {

    private static final int CONFIG_MODE = 0600;
    private static final int SCRIPT_MODE = 0755;
    private static final int LOG_LINES_IN_ERRORS = 30;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration START_WAIT = Duration.ofSeconds(5);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 50;

    /** Shell function {@code alive PID}: the process exists and is not a zombie. */
    static final String ALIVE_FUNCTION = """
      alive() {
        kill -0 "$1" 2>/dev/null || return 1
        if [ -r "/proc/$1/stat" ]; then
          s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
          case ${s##*') '} in Z*|X*) return 1 ;; esac
        fi
        return 0
      }
      """;

    /**
     * $1 dir. Prints "absent", "nopid", "stopped PID", or "running PID" followed by the process's
     * arguments, one a line.
     */
    private static final String STATUS_SCRIPT = ALIVE_FUNCTION + """
      d=$1
      if [ ! -f "$d/launch.sh" ]; then echo absent; exit 0; fi
      pid=$(cat "$d/pid" 2>/dev/null) || pid=
      case $pid in ''|*[!0-9]*) echo nopid; exit 0 ;; esac
      if ! alive "$pid"; then echo "stopped $pid"; exit 0; fi
      echo "running $pid"
      if [ -r "/proc/$pid/cmdline" ]; then
        tr '\\000' '\\n' <"/proc/$pid/cmdline"
      else
        ps -o args= -p "$pid"
      fi
      exit 0
      """;

    /** $1 pid. Prints "yes" or "no". */
    private static final String ALIVE_SCRIPT = ALIVE_FUNCTION + """
      if alive "$1"; then echo yes; else echo no; fi
      """;

    /**
     * $1 pid, $2 signal name. Signals the pid's process group when that group is a session of its
     * own (as every launcher makes it) and not the caller's; else the pid alone.
     */
    static final String SIGNAL_SCRIPT = """
      pid=$1 sig=$2 group=
      if [ -r "/proc/$pid/stat" ] && [ -r "/proc/$$/stat" ]; then
        theirs=$(cat "/proc/$pid/stat" 2>/dev/null) || theirs=
        ours=$(cat "/proc/$$/stat" 2>/dev/null) || ours=
        if [ -n "$theirs" ] && [ -n "$ours" ]; then
          set -- ${theirs##*') '}
          pgrp=$3 session=$4
          set -- ${ours##*') '}
          if [ "$pgrp" = "$session" ] && [ "$pgrp" != "$3" ] && [ "$pgrp" -gt 1 ]; then
            group=$pgrp
          fi
        fi
      fi
      if [ -n "$group" ] && kill -s "$sig" -- "-$group" 2>/dev/null; then exit 0; fi
      kill -s "$sig" "$pid" 2>/dev/null || true
      """;

    /** $1 dir. Creates the layout and lists conf/, NUL-separated. */
    private static final String PREPARE_SCRIPT = """
      d=$1
      mkdir -p "$d/conf" "$d/run" "$d/logs" "$d/home" || exit 1
      for f in "$d/conf"/* "$d/conf"/.[!.]* "$d/conf"/..?*; do
        if [ -f "$f" ]; then printf '%s\\000' "${f##*/}"; fi
      done
      exit 0
      """;

    /** $1 dir, $2 launcher. Starts launch.sh detached from the caller and its session. */
    private static final String START_SCRIPT = """
      d=$1 how=$2
      rm -f "$d/pid" "$d/pid.tmp"
      if [ "$how" = auto ]; then
        if command -v setsid >/dev/null 2>&1 && setsid --help 2>&1 | grep -q -e --fork; then
          how=setsid-fork
        elif command -v start-stop-daemon >/dev/null 2>&1; then
          how=start-stop-daemon
        elif command -v setsid >/dev/null 2>&1; then
          how=nohup-setsid
        else
          echo "cannot start a detached process: neither setsid nor start-stop-daemon is" \\
            "installed on this host" >&2
          exit 3
        fi
      fi
      case $how in
        setsid-fork)
          setsid -f /bin/sh "$d/launch.sh" </dev/null >/dev/null 2>&1 ;;
        start-stop-daemon)
          start-stop-daemon --start --background --pidfile "$d/pid" --startas /bin/sh \\
            -- "$d/launch.sh" </dev/null >/dev/null 2>&1 ;;
        nohup-setsid)
          nohup setsid /bin/sh "$d/launch.sh" </dev/null >/dev/null 2>&1 &
          ;;
        *)
          echo "unknown launcher: $how" >&2
          exit 2 ;;
      esac
      """;

    /** $1 file, $2 lines. */
    private static final String TAIL_SCRIPT = """
      if [ -f "$1" ]; then tail -n "$2" "$1"; fi
      """;

    /** How {@code launch.sh} is detached; {@link #AUTO} picks the first one the host has. */
    enum Launcher {
        AUTO("auto"),
        SETSID_FORK("setsid-fork"),
        START_STOP_DAEMON("start-stop-daemon"),
        NOHUP_SETSID("nohup-setsid");

        private final String scriptName;

        Launcher(String scriptName) {
            this.scriptName = scriptName;
        }
    }

    private final Host host;
    private final Launcher launcher;

    public ProcessControl(Host host) {
        this(host, Launcher.AUTO);
    }

    ProcessControl(Host host, Launcher launcher) {
        this.host = requireNonNull(host, "host");
        this.launcher = requireNonNull(launcher, "launcher");
    }

    /**
     * Creates the component layout and writes the config files and {@code launch.sh}, leaving
     * files whose content is already right untouched. Config files in {@code conf/} that the spec
     * no longer has are removed. Returns whether anything changed.
     */
    public boolean writeFiles(ComponentSpec spec) {
        String dir = spec.dir();
        ExecResult listing = run("preparing " + dir, ShellScript.argv(PREPARE_SCRIPT, dir));
        Set<String> present = new TreeSet<>(Arrays.asList(listing.stdout().split("\0")));
        present.remove("");
        boolean changed = false;
        for (Map.Entry<String, byte[]> file : spec.configFiles().entrySet()) {
            changed |= writeIfDifferent(dir + "/conf/" + file.getKey(), file.getValue(), CONFIG_MODE);
        }
        List<String> stale = new ArrayList<>();
        for (String name : present) {
            if (!spec.configFiles().containsKey(name)) {
                stale.add(dir + "/conf/" + name);
            }
        }
        if (!stale.isEmpty()) {
            List<String> argv = new ArrayList<>(List.of("rm", "-f"));
            argv.addAll(stale);
            run("removing stale config files of " + dir, argv);
            changed = true;
        }
        changed |= writeIfDifferent(dir + "/launch.sh", LaunchScript.render(spec), SCRIPT_MODE);
        return changed;
    }

    /**
     * Writes the component's files and starts its process unless it is running already. Returns
     * once the process has recorded its pid and is alive; throws if it is not within ~5 s.
     */
    public void start(ComponentSpec spec) {
        String dir = spec.dir();
        writeFiles(spec);
        if (status(dir).isRunning()) {
            return;
        }
        run("starting " + dir, ShellScript.argv(START_SCRIPT, dir, launcher.scriptName));
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (true) {
            Probe probe = probe(dir);
            if (probe.status().isRunning()) {
                return;
            }
            if (probe.pid().isPresent()) {
                throw new ComponentException("the process of " + dir + " on " + host.name()
                        + " exited right after it started" + logExcerpt(dir));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new ComponentException("the process of " + dir + " on " + host.name()
                        + " did not record its pid within " + START_WAIT.toSeconds() + " s"
                        + logExcerpt(dir));
            }
            pause();
        }
    }

    /**
     * {@link ProcessStatus.Absent} without {@code <dir>/launch.sh}; {@link ProcessStatus.Running}
     * if the pid in {@code <dir>/pid} is alive and its command line mentions {@code dir} (so that
     * a reused pid is not mistaken for the component); else {@link ProcessStatus.Stopped}.
     */
    public ProcessStatus status(String dir) {
        return probe(RemotePath.checkAbsolute("component directory", dir, 2)).status();
    }

    /**
     * Sends SIGTERM to the process (and the rest of its session's process group), waits up to
     * {@code graceful} for it to exit, then sends SIGKILL. Returns whether a running process was
     * stopped; stopping a component that is not running does nothing.
     */
    public boolean stop(String dir, Duration graceful) {
        requireNonNull(graceful, "graceful");
        String checked = RemotePath.checkAbsolute("component directory", dir, 2);
        if (!(status(checked) instanceof ProcessStatus.Running running)) {
            return false;
        }
        long pid = running.pid();
        signal(pid, "TERM");
        if (!awaitExit(pid, graceful)) {
            signal(pid, "KILL");
            if (!awaitExit(pid, KILL_WAIT)) {
                throw new ComponentException("the process " + pid + " of " + checked + " on " + host.name()
                        + " is still alive " + KILL_WAIT.toSeconds() + " s after SIGKILL");
            }
        }
        run("removing the pid file of " + checked, List.of("rm", "-f", checked + "/pid"));
        return true;
    }

    /** Sends SIGKILL to the process (and its process group) now and waits for it to exit. */
    public void kill(String dir) {
        String checked = RemotePath.checkAbsolute("component directory", dir, 2);
        if (status(checked) instanceof ProcessStatus.Running running) {
            signal(running.pid(), "KILL");
            if (!awaitExit(running.pid(), KILL_WAIT)) {
                throw new ComponentException("the process " + running.pid() + " of " + checked + " on " + host.name()
                        + " is still alive " + KILL_WAIT.toSeconds() + " s after SIGKILL");
            }
        }
    }

    /** The last {@code lines} lines of {@code <dir>/logs/console.log}; empty if there is none. */
    public String logTail(String dir, int lines) {
        String checked = RemotePath.checkAbsolute("component directory", dir, 2);
        if (lines <= 0) {
            return "";
        }
        return run(
                        "reading the console log of " + checked,
                        ShellScript.argv(TAIL_SCRIPT, checked + "/logs/console.log", Integer.toString(lines)))
                .stdout();
    }

    /** Deletes the component directory; refuses "/" and paths with fewer than 2 components. */
    public void deleteDir(String dir) {
        String checked = RemotePath.checkAbsolute("directory to delete", dir, 2);
        run("deleting " + checked, List.of("rm", "-rf", checked));
    }

    private record Probe(ProcessStatus status, Optional<Long> pid) {}

    private Probe probe(String dir) {
        String[] lines = run("checking the process of " + dir, ShellScript.argv(STATUS_SCRIPT, dir))
                .stdout()
                .split("\n", 2);
        String[] head = lines[0].strip().split(" ");
        switch (head[0]) {
            case "absent":
                return new Probe(new ProcessStatus.Absent(), Optional.empty());
            case "nopid":
                return new Probe(new ProcessStatus.Stopped(), Optional.empty());
            case "stopped":
                return new Probe(new ProcessStatus.Stopped(), Optional.of(Long.parseLong(head[1])));
            case "running":
                long pid = Long.parseLong(head[1]);
                String arguments = lines.length > 1 ? lines[1] : "";
                ProcessStatus status = ComponentSpec.mentionsDir(arguments, dir)
                        ? new ProcessStatus.Running(pid)
                        : new ProcessStatus.Stopped();
                return new Probe(status, Optional.of(pid));
            default:
                throw new ComponentException(
                        "unexpected answer from the status check of " + dir + " on " + host.name() + ": " + lines[0]);
        }
    }

    private void signal(long pid, String signal) {
        run("sending SIG" + signal + " to " + pid, ShellScript.argv(SIGNAL_SCRIPT, Long.toString(pid), signal));
    }

    private boolean awaitExit(long pid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String answer = run("checking process " + pid, ShellScript.argv(ALIVE_SCRIPT, Long.toString(pid)))
                    .stdout()
                    .strip();
            if (answer.equals("no")) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            pause();
        }
    }

    private boolean writeIfDifferent(String path, byte[] content, int mode) {
        Optional<byte[]> current = host.readFile(path);
        if (current.isPresent() && Arrays.equals(current.get(), content)) {
            return false;
        }
        host.writeFile(path, content, mode);
        return true;
    }

    private String logExcerpt(String dir) {
        String tail;
        try {
            tail = logTail(dir, LOG_LINES_IN_ERRORS).stripTrailing();
        } catch (RuntimeException e) {
            return "; its console log could not be read: " + e.getMessage();
        }
        return tail.isEmpty()
                ? "; " + dir + "/logs/console.log is empty"
                : "; last lines of " + dir + "/logs/console.log:\n" + tail;
    }

    private ExecResult run(String purpose, List<String> argv) {
        ExecResult result = host.exec(argv, COMMAND_TIMEOUT);
        if (!result.ok()) {
            throw new CommandFailedException(host.name(), purpose, argv, result);
        }
        return result;
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ComponentException("interrupted while waiting for a process", e);
        }
    }
}
