package dev.tfrocketmq.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Throw-away SSH hosts on this machine, made by {@code testing/testhosts.sh}: each host is a real sshd in its own
 * network, mount, UTS and PID namespaces, with its own address {@code <net>.1<i>} on a private bridge and private
 * {@code /opt /srv /var/log /root /tmp}. Root logs in with {@link #privateKey()}; {@link #knownHosts()} holds every
 * host's key under its address and its name {@code h<i>}. The one wrapper around the script, shared by the
 * provider's SSH unit tests and the acceptance tests.
 *
 * <p>Use one instance per test class, with a prefix and a /24 of its own, from {@code @BeforeAll} and
 * {@code @AfterAll}. {@link #close()} always takes the hosts down; a JVM shutdown hook does it too when the test
 * run is killed. With {@code TESTHOSTS_LANE=1..9} set, the names and addresses are the lane's own (see
 * {@link #lanePrefix}).
 */
public final class TestHosts implements AutoCloseable {
    /** System property (or env) naming another host script; default {@code <repo>/testing/testhosts.sh}. */
    public static final String SCRIPT_PROPERTY = "testhosts.script";

    private static final String DEFAULT_SCRIPT = "testing/testhosts.sh";

    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration SSH_TIMEOUT = Duration.ofMinutes(1);
    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9]{0,7}");
    private static final Pattern NET = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final long LARGE_FILE = 8L << 20;

    private final Path script;
    private final Path base;
    private final String prefix;
    private final String net;
    private final int count;
    private final Thread shutdownHook;
    private boolean down;

    private TestHosts(Path script, Path base, String prefix, String net, int count) {
        this.script = script;
        this.base = base;
        this.prefix = prefix;
        this.net = net;
        this.count = count;
        this.shutdownHook = new Thread(this::downQuietly, "testhosts-down-" + prefix);
    }

    /**
     * Brings up hosts h1..h{@code count} at {@code <net>.11 ..}, with state under {@code base}. Fails (never skips)
     * with what is missing when this machine cannot make test hosts: not root, no sshd, no network namespaces.
     *
     * @param prefix at most 8 lower-case letters and digits, unique per test class (names the namespaces and links)
     * @param net the first three octets of a /24 no other test class uses, such as {@code 198.18.11}
     */
    public static TestHosts up(String prefix, String net, int count, Path base) {
        prefix = lanePrefix(prefix);
        net = laneNet(net);
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("prefix must be 1-8 of [a-z0-9], starting with a letter: " + prefix);
        }
        if (!NET.matcher(net).matches()) {
            throw new IllegalArgumentException("net must be three octets such as 198.18.11: " + net);
        }
        if (count < 1 || count > 9) {
            throw new IllegalArgumentException("between 1 and 9 hosts: " + count);
        }
        Path script = script();
        requireEnvironment(script, prefix);
        Path dir = base.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        TestHosts hosts = new TestHosts(script, dir, prefix, net, count);
        Runtime.getRuntime().addShutdownHook(hosts.shutdownHook);
        ExecResult up = hosts.script("up", Integer.toString(count));
        if (!up.succeeded()) {
            hosts.close();
            throw new AssertionError(
                    "cannot bring up " + count + " test hosts (" + prefix + ", " + net + ".0/24)\n" + up.describe());
        }
        for (int i = 1; i <= count; i++) {
            hosts.awaitSshd(i, Duration.ofSeconds(10));
        }
        return hosts;
    }

    private void awaitSshd(int i, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!isListening(address(i), 22)) {
            if (System.nanoTime() - deadline > 0) {
                close();
                throw new AssertionError("sshd of " + name(i) + " at " + address(i) + ":22 did not listen within "
                        + within.toSeconds() + " s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while waiting for sshd of " + name(i), e);
            }
        }
    }

    /**
     * The host script: {@value #SCRIPT_PROPERTY} (system property) or {@code TESTHOSTS_SCRIPT} when set, else
     * {@code testing/testhosts.sh} of the repository ({@code project.root}, or the nearest directory above the
     * working directory that has it).
     */
    public static Path script() {
        String configured = System.getProperty(SCRIPT_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("TESTHOSTS_SCRIPT");
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        String root = System.getProperty("project.root");
        if (root != null && !root.isBlank()) {
            return Path.of(root).toAbsolutePath().normalize().resolve(DEFAULT_SCRIPT);
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(DEFAULT_SCRIPT))) {
                return dir.resolve(DEFAULT_SCRIPT);
            }
        }
        return start.resolve(DEFAULT_SCRIPT);
    }

    /**
     * With {@code TESTHOSTS_LANE=1..9} in the environment, namespaces, links and addresses of their own (prefix with
     * the lane's digit, addresses in 198.19.x), so that test runs in several checkouts on one machine do not collide.
     */
    public static String lanePrefix(String prefix) {
        String lane = lane();
        return lane.isEmpty() ? prefix : prefix.substring(0, Math.min(prefix.length(), 7)) + lane;
    }

    public static String laneNet(String net) {
        String lane = lane();
        if (lane.isEmpty()) {
            return net;
        }
        String[] octets = net.split("\\.");
        return "198.19." + (Integer.parseInt(octets[2]) + 20 * Integer.parseInt(lane));
    }

    private static String lane() {
        String lane = System.getenv("TESTHOSTS_LANE");
        return lane != null && lane.matches("[1-9]") ? lane : "";
    }

    static void requireEnvironment(Path script, String prefix) {
        List<String> missing = new ArrayList<>();
        long uid = uid();
        if (uid != 0) {
            missing.add("root (this JVM runs as uid " + uid + "; network namespaces need CAP_SYS_ADMIN and "
                    + "CAP_NET_ADMIN)");
        }
        if (!Files.isRegularFile(script) || !Files.isExecutable(script)) {
            missing.add("the host script " + script + " (set -D" + SCRIPT_PROPERTY + " to use another)");
        }
        for (String tool : List.of("ip", "ssh", "ssh-keygen", "unshare")) {
            if (onPath(tool) == null) {
                missing.add("`" + tool + "` on PATH");
            }
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/sshd"))) {
            missing.add("/usr/sbin/sshd (apt-get install -y openssh-server iproute2)");
        }
        if (missing.isEmpty()) {
            String probe = prefix + "-probe";
            ExecResult add = exec(List.of("ip", "netns", "add", probe), Map.of(), Duration.ofSeconds(20));
            exec(List.of("ip", "netns", "del", probe), Map.of(), Duration.ofSeconds(20));
            if (!add.succeeded()) {
                missing.add("network namespaces (`ip netns add` failed: "
                        + add.output().strip() + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new AssertionError(
                    "SSH test hosts cannot be created on this machine; missing: " + String.join("; ", missing));
        }
    }

    public int count() {
        return count;
    }

    /** The state directory: keys, known_hosts, ssh_config and one directory per host. */
    public Path base() {
        return base;
    }

    public String prefix() {
        return prefix;
    }

    /** The runner's own address on the hosts' bridge. */
    public String runnerAddress() {
        return net + ".1";
    }

    /** The address of host {@code h<i>}. */
    public String address(int i) {
        check(i);
        return net + "." + (10 + i);
    }

    public List<String> addresses() {
        List<String> all = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            all.add(address(i));
        }
        return all;
    }

    /** {@code h<i>}, as ssh_config and the hosts' /etc/hosts know it. */
    public String name(int i) {
        check(i);
        return "h" + i;
    }

    /** The client key root logs in with on every host. */
    public Path privateKey() {
        return base.resolve("id_ed25519");
    }

    /** The text of {@link #privateKey()}, as an SSH client's {@code private_key} setting takes it. */
    public String privateKeyText() {
        return read(privateKey());
    }

    /** The authorized_keys file of host {@code h<i>}, which its sshd reads at every login. */
    public Path authorizedKeys(int i) {
        return hostDir(i).resolve("authorized_keys");
    }

    public Path knownHosts() {
        return base.resolve("known_hosts");
    }

    public Path sshConfig() {
        return base.resolve("ssh_config");
    }

    /** The host's public key as {@code <type> <base64>}, the form of the provider's {@code host_key}. */
    public String hostKey(int i) {
        Path pub = hostDir(i).resolve("ssh_host_ed25519_key.pub");
        try {
            String[] fields =
                    Files.readString(pub, StandardCharsets.UTF_8).trim().split("\\s+");
            return fields[0] + " " + fields[1];
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pub, e);
        }
    }

    /** OpenSSH's SHA256 fingerprint of the host's current key. */
    public String fingerprint(int i) {
        Path pub = hostDir(i).resolve("ssh_host_ed25519_key.pub");
        ExecResult result = exec(List.of("ssh-keygen", "-l", "-f", pub.toString()), Map.of(), SSH_TIMEOUT);
        if (!result.succeeded()) {
            throw new AssertionError("cannot fingerprint " + pub + ": " + result.describe());
        }
        return result.stdout().split(" ")[1];
    }

    /** A known_hosts line for the host's address and its current key. */
    public String knownHostsLine(int i) {
        return address(i) + " " + hostKey(i);
    }

    /** The host's state directory on the runner. */
    public Path hostDir(int i) {
        check(i);
        return base.resolve(name(i));
    }

    /** Where the host's {@code /opt}, {@code /var/log} ... live on the runner: {@code fs(1).resolve("opt")}. */
    public Path fs(int i) {
        return hostDir(i).resolve("fs");
    }

    /** The sshd log of the host, when the script keeps one. */
    public Path sshdLog(int i) {
        return hostDir(i).resolve("sshd.log");
    }

    /** Runs a shell command on the host as root with the OpenSSH client, from the runner. */
    public ExecResult ssh(int i, String command) {
        return exec(
                List.of("ssh", "-F", sshConfig().toString(), "-o", "ConnectTimeout=10", name(i), command),
                Map.of(),
                SSH_TIMEOUT);
    }

    /** Like {@link #ssh} but fails the test unless the command exits 0; returns its stdout. */
    public String sshOk(int i, String command) {
        ExecResult result = ssh(i, command);
        if (!result.succeeded()) {
            throw new AssertionError("on " + name(i) + ": " + result.describe());
        }
        return result.stdout();
    }

    /** True when the process {@code pid} (as the host numbers it) is alive and not a zombie. */
    public boolean isAlive(int i, long pid) {
        ExecResult result = ssh(
                i, "s=$(cut -d' ' -f3 /proc/" + pid + "/stat 2>/dev/null) && [ -n \"$s\" ]" + " && [ \"$s\" != Z ]");
        if (result.exitCode() == 255) {
            throw new AssertionError("cannot reach " + name(i) + " over ssh: " + result.describe());
        }
        return result.succeeded();
    }

    /** The command line of a process on the host, as the host numbers it; empty when it is gone. */
    public String cmdline(int i, long pid) {
        ExecResult result = ssh(i, "tr '\\0' ' ' < /proc/" + pid + "/cmdline");
        return result.succeeded() ? result.stdout().strip() : "";
    }

    /** SIGKILLs a process on the host, as the host numbers it. */
    public void kill9(int i, long pid) {
        sshOk(i, "kill -9 " + pid);
    }

    /** A process of a host, by its pid on the runner, and its command line with arguments joined by spaces. */
    public record HostProcess(long pid, String cmdline) {
        @Override
        public String toString() {
            return pid + " " + (cmdline.length() > 300 ? cmdline.substring(0, 300) + "..." : cmdline);
        }
    }

    /** Every process of the host, seen from the runner (runner pids) through {@code ip netns pids}. */
    public List<HostProcess> processes(int i) {
        ExecResult result =
                exec(List.of("ip", "netns", "pids", prefix + "-" + name(i)), Map.of(), Duration.ofSeconds(20));
        List<HostProcess> found = new ArrayList<>();
        if (!result.succeeded()) {
            return found;
        }
        for (String line : result.stdout().split("\\s+")) {
            if (line.isBlank()) {
                continue;
            }
            long pid = Long.parseLong(line.trim());
            cmdline(pid).ifPresent(c -> found.add(new HostProcess(pid, c)));
        }
        return found;
    }

    /** The host's processes whose command line contains {@code fragment}. */
    public List<HostProcess> processesMentioning(int i, String fragment) {
        return processes(i).stream().filter(p -> p.cmdline().contains(fragment)).toList();
    }

    /** The host's RocketMQ name servers and brokers. */
    public List<HostProcess> rocketmqProcesses(int i) {
        return processes(i).stream()
                .filter(p -> p.cmdline().contains("NamesrvStartup")
                        || p.cmdline().contains("BrokerStartup")
                        || p.cmdline().contains("org.apache.rocketmq"))
                .toList();
    }

    /** The host's name server and broker JVMs (not the shells or scripts around them). */
    public List<HostProcess> rocketmqJvms(int i) {
        return processes(i).stream()
                .filter(p ->
                        p.cmdline().contains("NamesrvStartup") || p.cmdline().contains("BrokerStartup"))
                .filter(p -> p.cmdline().split(" ", 2)[0].endsWith("java"))
                .toList();
    }

    /** Restarts the host's sshd only; the host's other processes keep running. */
    public void restartSshd(int i) {
        scriptOk("restart-sshd", name(i));
    }

    /** Makes the host unreachable: its link goes down, connections to it time out. */
    public void linkDown(int i) {
        scriptOk("link-down", name(i));
    }

    public void linkUp(int i) {
        scriptOk("link-up", name(i));
    }

    /** Kills, by pid, the server side of every SSH connection to the host; sshd itself keeps running. */
    public void dropConnections(int i) {
        String kill = """
                for p in $(ip netns pids "$1"); do
                  case $(tr '\\000' ' ' <"/proc/$p/cmdline" 2>/dev/null) in
                    'sshd: root'*) kill -KILL "$p" 2>/dev/null || true ;;
                  esac
                done
                """;
        ExecResult result = exec(List.of("bash", "-c", kill, "bash", prefix + "-" + name(i)), Map.of(), SSH_TIMEOUT);
        if (!result.succeeded()) {
            throw new AssertionError("cannot drop the connections to " + name(i) + ": " + result.describe());
        }
    }

    /** Gives the host a new host key; {@link #knownHosts()} still has the old one. */
    public void regenerateHostKey(int i) {
        scriptOk("regen-hostkey", name(i));
    }

    /** Ends every SSH connection to the host, as its reboot or replacement would; its processes keep running. */
    public void dropSshSessions(int i) {
        scriptOk("drop-sessions", name(i));
    }

    /** Limits what the runner sends to the host to {@code rate} (a tc rate such as {@code 40mbit}): a slow link. */
    public void shapeLink(int i, String rate) {
        scriptOk("shape", name(i), rate);
    }

    /** Lifts {@link #shapeLink}. */
    public void unshapeLink(int i) {
        scriptOk("shape", name(i), "off");
    }

    /**
     * Sets one {@code sshd_config} keyword of the host (such as {@code MaxSessions 2}) and restarts its sshd: new
     * connections get the setting, open ones keep theirs. The hosts otherwise run OpenSSH's stock limits.
     */
    public void sshdOption(int i, String keyword, String value) {
        scriptOk("sshd-option", name(i), keyword, value);
    }

    /** Replaces the host's entries in {@link #knownHosts()} with its current key, e.g. after a new host key. */
    public void trustCurrentHostKey(int i) {
        Path file = knownHosts();
        try {
            List<String> kept = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String first = line.strip().split("\\s+", 2)[0];
                if (!first.equals(address(i)) && !first.equals(name(i))) {
                    kept.add(line);
                }
            }
            kept.add(address(i) + " " + hostKey(i));
            kept.add(name(i) + " " + hostKey(i));
            Files.write(file, kept, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file, e);
        }
    }

    /** True when {@code address:port} accepts a TCP connection within a second. */
    public static boolean isListening(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** Takes every host down (their processes die with them) and deletes the big files the hosts were given. */
    @Override
    public synchronized void close() {
        if (down) {
            return;
        }
        try {
            ExecResult result = script("down", Integer.toString(count));
            if (!result.succeeded()) {
                System.err.println("testhosts down failed: " + result.describe());
            }
        } finally {
            down = true;
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to
            }
            pruneLargeFiles();
        }
    }

    private synchronized void downQuietly() {
        if (!down) {
            down = true;
            script("down", Integer.toString(count));
        }
    }

    /** Keeps logs and configuration of the hosts for a post-mortem, but not distributions and sparse stores. */
    private void pruneLargeFiles() {
        for (int i = 1; i <= count; i++) {
            Path fs = fs(i);
            if (!Files.isDirectory(fs)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(fs)) {
                files.sorted(Comparator.reverseOrder())
                        .filter(p -> isLarge(p) || isDistribution(p))
                        .forEach(TestHosts::deleteTree);
            } catch (IOException | UncheckedIOException e) {
                System.err.println("cannot prune " + fs + ": " + e);
            }
        }
    }

    private static boolean isLarge(Path p) {
        try {
            return Files.isRegularFile(p)
                    && Files.size(p) >= LARGE_FILE
                    && !p.getFileName().toString().endsWith(".log");
        } catch (IOException gone) {
            return false;
        }
    }

    private static boolean isDistribution(Path p) {
        return Files.isDirectory(p)
                && p.getFileName() != null
                && p.getFileName().toString().equals("dist");
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    private void scriptOk(String... args) {
        ExecResult result = script(args);
        if (!result.succeeded()) {
            throw new AssertionError("testhosts.sh " + String.join(" ", args) + " failed\n" + result.describe());
        }
    }

    private ExecResult script(String... args) {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(List.of(args));
        return exec(command, Map.of("TH_BASE", base.toString(), "TH_PREFIX", prefix, "TH_NET", net), SCRIPT_TIMEOUT);
    }

    private void check(int i) {
        if (i < 1 || i > count) {
            throw new IllegalArgumentException("no host h" + i + " (there are " + count + ")");
        }
    }

    private static ExecResult exec(List<String> command, Map<String, String> env, Duration timeout) {
        Instant started = Instant.now();
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("testhosts", ".out");
            err = Files.createTempFile("testhosts", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            boolean timedOut = !process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (timedOut) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            return new ExecResult(
                    command,
                    timedOut ? -1 : process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8),
                    timedOut,
                    Duration.between(started, Instant.now()));
        } catch (IOException e) {
            return new ExecResult(command, -1, "", "cannot run: " + e, false, Duration.between(started, Instant.now()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            deleteTree(out);
            deleteTree(err);
        }
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name);
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name);
            }
        }
        return null;
    }

    private static long uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // fall through
        }
        return -1;
    }

    /** The command line of a runner process; empty when it is gone, a zombie, or a kernel thread. */
    private static Optional<String> cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            int end = raw.length;
            while (end > 0 && raw[end - 1] == 0) {
                end--;
            }
            return end == 0
                    ? Optional.empty()
                    : Optional.of(new String(raw, 0, end, StandardCharsets.UTF_8).replace('\0', ' '));
        } catch (IOException gone) {
            return Optional.empty();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
