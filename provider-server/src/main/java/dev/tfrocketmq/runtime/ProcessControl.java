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

    /** The file that marks a directory as one this provider installs components into. */
    public static final String ROOT_MARKER = ".terraform-provider-rocketmq";

    /**
     * $1 dir, $2 the root marker's name. With a launch script: "nopid", "stopped PID", or "running PID" followed by the process's arguments, one
     * a line. Without one, only what can be proven: "retired" (the directory is there and readable, without a launch
     * script), "gone" (the directory does not exist, and its parent, the install root, is there, readable and marked
     * as ours); otherwise why it cannot be told: "unreadable PATH", "noroot PATH" (the install root itself is missing:
     * a volume not mounted?), "unmarked PATH" (an install root without our marker: an empty mount point?).
     */
    private static final String STATUS_SCRIPT = ALIVE_FUNCTION + """
      d=$1
      if [ -f "$d/launch.sh" ]; then
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
      fi
      if [ -d "$d" ]; then
        if [ -x "$d" ] && [ -r "$d" ]; then echo retired; else echo "unreadable $d"; fi
        exit 0
      fi
      root=${d%/*}
      [ -n "$root" ] || root=/
      if [ -d "$root" ]; then
        if ! [ -x "$root" ] || ! [ -r "$root" ]; then echo "unreadable $root"; exit 0; fi
        if [ -e "$d" ] || [ -L "$d" ]; then echo "unreadable $d"; exit 0; fi
        if [ -f "$root/$2" ]; then echo gone; else echo "unmarked $root"; fi
        exit 0
      fi
      p=$root
      while [ "$p" != / ] && [ -n "$p" ]; do
        p=${p%/*}
        [ -n "$p" ] || p=/
        if [ -e "$p" ]; then
          if ! [ -x "$p" ]; then echo "unreadable $p"; exit 0; fi
          break
        fi
      done
      echo "noroot $root"
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

    /** $1 dir, $2 the root marker's name. Creates the layout, marks the install root, lists conf/ NUL-separated. */
    private static final String PREPARE_SCRIPT = """
      d=$1
      mkdir -p "$d/conf" "$d/run" "$d/logs" "$d/home" || exit 1
      : >>"${d%/*}/$2" || exit 1
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
        ExecResult listing = run("preparing " + dir, ShellScript.argv(PREPARE_SCRIPT, dir, ROOT_MARKER));
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
            Probe probe = probe(dir, false);
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
     * {@link ProcessStatus.Absent} only when provably so: {@code dir} has no launch script, or does not exist while
     * its install root does and carries this provider's marker; anything that cannot be told (no permission, the
     * install root missing or unmarked) throws. {@link ProcessStatus.Running}
     * if the pid in {@code <dir>/pid} is alive and its command line mentions {@code dir} (so that
     * a reused pid is not mistaken for the component); else {@link ProcessStatus.Stopped}.
     */
    public ProcessStatus status(String dir) {
        return probe(RemotePath.checkAbsolute("component directory", dir, 2), false)
                .status();
    }

    /**
     * The running process of {@code dir}, for stopping it: a missing directory runs nothing, whether or not it can be
     * told apart from an unmounted volume (which {@link #status} refuses to guess).
     */
    public Optional<ProcessStatus.Running> running(String dir) {
        return probe(RemotePath.checkAbsolute("component directory", dir, 2), true)
                                .status()
                        instanceof ProcessStatus.Running running
                ? Optional.of(running)
                : Optional.empty();
    }

    /**
     * Sends SIGTERM to the process (and the rest of its session's process group), waits up to
     * {@code graceful} for it to exit, then sends SIGKILL. Returns whether a running process was
     * stopped; stopping a component that is not running does nothing.
     */
    public boolean stop(String dir, Duration graceful) {
        requireNonNull(graceful, "graceful");
        String checked = RemotePath.checkAbsolute("component directory", dir, 2);
        Optional<ProcessStatus.Running> running = running(checked);
        if (running.isEmpty()) {
            return false;
        }
        long pid = running.get().pid();
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
        ProcessStatus.Running running = running(checked).orElse(null);
        if (running != null) {
            signal(running.pid(), "KILL");
            if (!awaitExit(running.pid(), KILL_WAIT)) {
                throw new ComponentException("the process " + running.pid() + " of " + checked + " on " + host.name()
                        + " is still alive " + KILL_WAIT.toSeconds() + " s after SIGKILL");
            }
        }
    }

    /** $1 dir, $2 max lines. The error lines of the process's own logs (console and RocketMQ's), newest last. */
    private static final String FATAL_LINES_SCRIPT = """
      d=$1 n=$2
      for f in "$d/logs/console.log" "$d"/home/logs/rocketmqlogs/*.log; do
        [ -f "$f" ] || continue
        tail -n 400 "$f" 2>/dev/null \\
          | grep -E 'Exception|ERROR|FATAL|Address already in use|OutOfMemory|[Ff]ailed to' 2>/dev/null \\
          | sed "s|^|${f##*/}: |"
      done | tail -n "$n"
      exit 0
      """;

    /**
     * The last {@code lines} error lines (exceptions, ERROR, bind failures) of the component's console log and its
     * RocketMQ logs: what a readiness failure must show, because the real cause is often only there.
     */
    public String fatalLines(String dir, int lines) {
        String checked = RemotePath.checkAbsolute("component directory", dir, 2);
        return run(
                        "reading the error lines of " + checked,
                        ShellScript.argv(FATAL_LINES_SCRIPT, checked, Integer.toString(lines)))
                .stdout()
                .strip();
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
    /**
     * Suffix of the file that names the component a data directory belongs to (its home directory). The mark lies
     * beside the directory ({@code <parent>/.<name>.terraform-provider-rocketmq-data}), never inside it: RocketMQ
     * takes every file in a commit-log directory for a segment of the log.
     */
    public static final String DATA_MARKER = ".terraform-provider-rocketmq-data";

    /** What {@link #claimData} found. */
    public enum DataClaim {
        /** The directory did not exist; it was created and marked. */
        CREATED,
        /** The directory already carried this component's mark. */
        OURS,
        /** It carried the mark of a component that no longer exists here (a replaced one); the mark was moved over. */
        ADOPTED,
        /** It existed without a mark: it is used, but never deleted by the provider. */
        FOREIGN
    }

    /**
     * $1 dir, $2 owner, $3 marker suffix. Prints created, ours, "adopted OLD", "taken OWNER" (marked by a component
     * that still exists), foreign or notdir.
     */
    private static final String CLAIM_SCRIPT = """
      d=$1 owner=$2
      mk="${d%/*}/.${d##*/}$3"
      if [ ! -e "$d" ]; then
        mkdir -p "$d" || exit 1
        printf '%s\\n' "$owner" >"$mk" || exit 1
        echo created; exit 0
      fi
      if [ ! -d "$d" ]; then echo notdir; exit 0; fi
      if [ -f "$mk" ]; then
        cur=$(cat "$mk")
        if [ "$cur" = "$owner" ]; then echo ours; exit 0; fi
        if [ -f "$cur/launch.sh" ]; then echo "taken $cur"; exit 0; fi
        printf '%s\\n' "$owner" >"$mk" || exit 1
        echo "adopted $cur"; exit 0
      fi
      echo foreign
      """;

    /** $1 dir, $2 owner, $3 marker suffix. Deletes dir only when it carries owner's mark; prints deleted or kept. */
    private static final String DELETE_DATA_SCRIPT = """
      d=$1 owner=$2
      mk="${d%/*}/.${d##*/}$3"
      if [ ! -e "$d" ] && [ ! -L "$d" ]; then rm -f -- "$mk"; echo deleted; exit 0; fi
      if [ -d "$d" ] && [ ! -L "$d" ] && [ -f "$mk" ] && [ "$(cat "$mk")" = "$owner" ]; then
        rm -rf -- "$d" || exit 1
        rm -f -- "$mk"
        echo deleted; exit 0
      fi
      echo kept
      """;

    /**
     * Makes {@code dir} ready to hold the data of the component in {@code owner} (its home directory): creates and
     * marks it when missing, and refuses a directory that another existing component marked. A directory that was
     * there before without a mark is used as it is and will never be deleted by {@link #deleteData}.
     */
    public DataClaim claimData(String dir, String owner) {
        String checked = RemotePath.checkAbsolute("data directory", dir, 2);
        String answer = run("claiming " + checked, ShellScript.argv(CLAIM_SCRIPT, checked, owner, DATA_MARKER))
                .stdout()
                .strip();
        String[] head = answer.split(" ", 2);
        return switch (head[0]) {
            case "created" -> DataClaim.CREATED;
            case "ours" -> DataClaim.OURS;
            case "adopted" -> DataClaim.ADOPTED;
            case "foreign" -> DataClaim.FOREIGN;
            case "taken" ->
                throw new ComponentException(checked + " on " + host.name() + " already holds the data of "
                        + "the component in " + head[1] + ", which still exists: two components must not share a data "
                        + "directory. Give this one a directory of its own");
            case "notdir" ->
                throw new ComponentException(checked + " on " + host.name() + " exists and is not a "
                        + "directory; point the data path elsewhere");
            default ->
                throw new ComponentException(
                        "unexpected answer while claiming " + checked + " on " + host.name() + ": " + answer);
        };
    }

    /**
     * Deletes {@code dir} if, and only if, it carries the mark of the component in {@code owner}: data the provider
     * did not create for that component (a directory that was there before, another component's) is never deleted.
     * Returns whether it is gone.
     */
    public boolean deleteData(String dir, String owner) {
        String checked = RemotePath.checkAbsolute("data directory", dir, 2);
        return run("deleting the data in " + checked, ShellScript.argv(DELETE_DATA_SCRIPT, checked, owner, DATA_MARKER))
                .stdout()
                .strip()
                .equals("deleted");
    }

    public void deleteDir(String dir) {
        String checked = RemotePath.checkAbsolute("directory to delete", dir, 2);
        run("deleting " + checked, List.of("rm", "-rf", checked));
    }

    private record Probe(ProcessStatus status, Optional<Long> pid) {}

    private Probe probe(String dir, boolean missingRunsNothing) {
        String[] lines = run("checking the process of " + dir, ShellScript.argv(STATUS_SCRIPT, dir, ROOT_MARKER))
                .stdout()
                .split("\n", 2);
        String[] head = lines[0].strip().split(" ");
        switch (head[0]) {
            case "retired":
            case "gone":
                return new Probe(new ProcessStatus.Absent(), Optional.empty());
            case "unreadable":
                throw new ComponentException("cannot tell whether " + dir + " exists on " + host.name() + ": "
                        + rest(head) + " cannot be read by the SSH user. Give the user access (or set ssh.sudo), "
                        + "then run the command again; the state was kept");
            case "noroot":
                if (missingRunsNothing) {
                    return new Probe(new ProcessStatus.Absent(), Optional.empty());
                }
                throw new ComponentException("the install directory " + rest(head) + " of " + dir + " is missing on "
                        + host.name() + ". If it lives on a volume that is not mounted, mount it and run the command "
                        + "again. If it was removed on purpose, remove the component from the state (terraform state "
                        + "rm) and apply to install it afresh; the state was kept");
            case "unmarked":
                if (missingRunsNothing) {
                    return new Probe(new ProcessStatus.Absent(), Optional.empty());
                }
                throw new ComponentException(dir + " is missing on " + host.name() + ", and its install directory "
                        + rest(head) + " holds no " + ROOT_MARKER + " marker, so it cannot be told apart from an "
                        + "empty mount point. If the volume is not mounted, mount it and run the command again; if the "
                        + "component was removed on purpose, remove it from the state (terraform state rm); the state "
                        + "was kept");
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

    private static String rest(String[] head) {
        return String.join(" ", Arrays.copyOfRange(head, 1, head.length));
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
