package dev.tfrocketmq.host;

import static java.util.Objects.requireNonNull;

import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.resource.Cancellation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * A lock taken on the host itself, so that provider processes that do not know of each other (two Terraform runs, one
 * host reached by two names) never change the same files at once: an exclusive {@code flock} on a file of the host.
 *
 * <p>No connection is tied up while the lock is held: the command that takes it leaves a small holder process
 * behind, detached, that keeps the lock until it is released, and no longer than the process the command came from
 * lives (the sshd of the SSH connection, or the provider itself on the machine running Terraform). A provider that
 * dies, or whose connection drops, so releases its locks within about a second. A lock held by someone else is
 * waited for, polling, up to a limit; the wait stops when the host's {@link Host#cancellation()} fires.
 */
public final class HostLock implements AutoCloseable {

    private static final Log LOG = Log.named("lock");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final long FIRST_PAUSE_MILLIS = 50;
    private static final long LAST_PAUSE_MILLIS = 1000;
    private static final Duration LOG_EVERY = Duration.ofSeconds(30);

    /** $1 token file, $2 pid to outlive, $3 its start time (or empty): holds fd 9 until the token goes. */
    private static final String HOLDER = """
      token=$1 watch=$2 since=$3
      trap 'rm -f -- "$token"; exit 0' TERM HUP INT
      alive() {
        if [ -d "/proc/$watch" ]; then
          [ -z "$since" ] && return 0
          s=$(cat "/proc/$watch/stat" 2>/dev/null) || return 1
          s=${s##*) }
          set -- $s
          [ "${20}" = "$since" ]
        else
          kill -0 "$watch" 2>/dev/null
        fi
      }
      while [ -e "$token" ] && alive; do
        sleep 1 9>&- &
        wait $!
      done
      rm -f -- "$token"
      """;

    /**
     * $1 lock file, $2 token file, $3 owner, $4 holder script. Prints "held", or "busy" and what the lock file says
     * about its holder.
     */
    private static final String ACQUIRE = """
      lock=$1 token=$2 owner=$3 holder=$4
      if ! command -v flock >/dev/null 2>&1; then
        echo "flock is not installed on this host; install util-linux (or busybox) so that it is" >&2
        exit 3
      fi
      dir=${lock%/*}
      mkdir -p -- "${dir:-/}" || exit 1
      parent_of() {
        s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
        s=${s##*) }
        set -- $s
        printf '%s' "$2"
      }
      start_of() {
        s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
        s=${s##*) }
        set -- $s
        printf '%s' "${20}"
      }
      watch=$PPID
      while [ "$(cat "/proc/$watch/comm" 2>/dev/null)" = sudo ]; do
        watch=$(parent_of "$watch") || break
      done
      since=$(start_of "$watch") || since=
      exec 9>>"$lock" || exit 1
      if ! flock -n 9; then
        echo busy
        cat -- "$lock" 2>/dev/null
        exit 0
      fi
      printf '%s\\n' "$owner" >"$lock"
      : >"$token" || exit 1
      if command -v setsid >/dev/null 2>&1; then
        setsid /bin/sh -c "$holder" holder "$token" "$watch" "$since" </dev/null >/dev/null 2>&1 &
      else
        /bin/sh -c "$holder" holder "$token" "$watch" "$since" </dev/null >/dev/null 2>&1 &
      fi
      echo "$!" >"$token"
      echo held
      """;

    /** $1 token file: ends its holder, which releases the lock. */
    private static final String RELEASE = """
      token=$1
      pid=$(cat -- "$token" 2>/dev/null) || exit 0
      rm -f -- "$token"
      case $pid in ''|*[!0-9]*) exit 0 ;; esac
      if grep -q -F -e "$token" "/proc/$pid/cmdline" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null
      fi
      exit 0
      """;

    private final Host host;
    private final String lockFile;
    private final String token;
    private boolean released;

    private HostLock(Host host, String lockFile, String token) {
        this.host = host;
        this.lockFile = lockFile;
        this.token = token;
    }

    /**
     * Takes the lock {@code lockFile} (created with its directory if missing) for {@code purpose}, waiting up to
     * {@code wait} for another holder to release it. Throws {@link HostException} naming the holder when the wait
     * runs out, and {@link OperationCancelledException} when the host's cancellation fires first.
     */
    public static HostLock acquire(Host host, String lockFile, String purpose, Duration wait) {
        requireNonNull(host, "host");
        requireNonNull(purpose, "purpose");
        requireNonNull(wait, "wait");
        if (!lockFile.startsWith("/") || lockFile.endsWith("/") || lockFile.contains("\n")) {
            throw new IllegalArgumentException("a lock file must be an absolute path to a file: " + lockFile);
        }
        String token = lockFile + ".held-" + UUID.randomUUID();
        List<String> argv = ShellScript.argv(ACQUIRE, lockFile, token, owner(purpose), HOLDER);
        long start = System.nanoTime();
        long deadline = start + wait.toNanos();
        long pause = FIRST_PAUSE_MILLIS;
        long loggedAt = 0;
        String holder = "";
        while (true) {
            ExecResult result;
            try {
                result = host.exec(argv, COMMAND_TIMEOUT);
            } catch (RuntimeException e) {
                // The lock may have been taken just before the command was stopped: let it go.
                release(host, token, e);
                throw e;
            }
            if (!result.ok()) {
                throw new CommandFailedException(host.name(), "taking the lock " + lockFile, argv, result);
            }
            String[] lines = result.stdout().split("\n", 2);
            if (lines[0].strip().equals("held")) {
                if (loggedAt != 0) {
                    LOG.info(
                            "lock taken after waiting",
                            "host",
                            host.name(),
                            "lock",
                            lockFile,
                            "millis",
                            (System.nanoTime() - start) / 1_000_000);
                }
                return new HostLock(host, lockFile, token);
            }
            holder = lines.length > 1 ? lines[1].strip() : "";
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw new HostException(
                        host.name(),
                        "taking the lock " + lockFile + " for " + purpose,
                        "another process still holds it after " + seconds(wait) + " s"
                                + (holder.isEmpty() ? "" : " (" + holder + ")")
                                + ". If another terraform run is working on this host, let it finish; if none is, "
                                + "the holder is released when its connection closes, or find it with `fuser "
                                + lockFile + "` on the host",
                        null);
            }
            if (loggedAt == 0 || now - loggedAt >= LOG_EVERY.toNanos()) {
                loggedAt = now;
                LOG.info(
                        "waiting for a lock held by another process",
                        "host",
                        host.name(),
                        "lock",
                        lockFile,
                        "holder",
                        holder,
                        "for",
                        purpose);
            }
            if (host.cancellation().sleep(Duration.ofMillis(pause))) {
                throw new OperationCancelledException(host.name(), "waiting for the lock " + lockFile);
            }
            pause = Math.min(LAST_PAUSE_MILLIS, pause * 2);
        }
    }

    public String lockFile() {
        return lockFile;
    }

    /** Releases the lock, also when the host's cancellation has fired (releasing is never cancelled). */
    @Override
    public void close() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        ExecResult result = release(host, token, null);
        if (result != null && !result.ok()) {
            LOG.warn(
                    "could not release a lock; it is released when the connection closes",
                    "host",
                    host.name(),
                    "lock",
                    lockFile,
                    "error",
                    result.stderrTail(3));
        }
    }

    private static ExecResult release(Host host, String token, RuntimeException failure) {
        try {
            return host.withCancellation(new Cancellation()).exec(ShellScript.argv(RELEASE, token), COMMAND_TIMEOUT);
        } catch (RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                LOG.warn(
                        "could not release a lock; it is released when the connection closes",
                        "host",
                        host.name(),
                        "token",
                        token,
                        "error",
                        String.valueOf(e.getMessage()));
            }
            return null;
        }
    }

    /** Who holds a lock, for whoever waits for it: this process, where it runs, what for and since when. */
    private static String owner(String purpose) {
        return "terraform-provider-rocketmq, pid " + ProcessHandle.current().pid() + " on " + machineName() + ", "
                + purpose.replace('\n', ' ') + ", since "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private static String machineName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8)
                    .strip();
            return name.isEmpty() ? "an unnamed machine" : name;
        } catch (IOException | RuntimeException e) {
            return "an unnamed machine";
        }
    }

    private static long seconds(Duration duration) {
        return Math.max(1, duration.toSeconds());
    }
}
