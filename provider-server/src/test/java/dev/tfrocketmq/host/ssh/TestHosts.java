package dev.tfrocketmq.host.ssh;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real OpenSSH hosts h1..hN on this machine, made by {@code testing/testhosts.sh} in network,
 * mount, UTS and PID namespaces. Needs root; refuses to run (rather than skip) without it.
 */
final class TestHosts implements AutoCloseable {

    private static final String PREFIX = lanePrefix("tsh");
    private static final String NET = laneNet("198.18.7");
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);

    private final Path script;
    private final Path base;
    private final int count;

    private TestHosts(Path script, Path base, int count) {
        this.script = script;
        this.base = base;
        this.count = count;
    }

    static TestHosts up(int count) {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path script = module.resolveSibling("testing").resolve("testhosts.sh").toAbsolutePath();
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("the SSH tests need " + script + ", which is missing");
        }
        String uid = run(List.of("id", "-u"), Map.of()).strip();
        if (!uid.equals("0")) {
            throw new IllegalStateException("the SSH tests create network namespaces and must run as" + " root (uid is "
                    + uid + "); run them as root or leave out dev.tfrocketmq.host.ssh");
        }
        try {
            run(List.of("ip", "netns", "list"), Map.of());
        } catch (IllegalStateException e) {
            throw new IllegalStateException(
                    "the SSH tests need `ip netns` (Debian package iproute2)"
                            + " and the right to create network namespaces: " + e.getMessage(),
                    e);
        }
        TestHosts hosts = new TestHosts(script, module.resolve("target/ssh-testhosts"), count);
        try {
            hosts.script("up", Integer.toString(count));
        } catch (RuntimeException e) {
            hosts.close();
            throw e;
        }
        return hosts;
    }

    /**
     * With {@code TESTHOSTS_LANE=1..9} in the environment, namespaces, links and addresses of their own (prefix with
     * the lane's digit, addresses in 198.19.x), so that test runs in several checkouts on one machine do not collide.
     */
    static String lanePrefix(String prefix) {
        String lane = lane();
        return lane.isEmpty() ? prefix : prefix.substring(0, Math.min(prefix.length(), 7)) + lane;
    }

    static String laneNet(String net) {
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

    String address(int host) {
        return NET + "." + (10 + host);
    }

    Path base() {
        return base;
    }

    String privateKey() {
        return read(privateKeyFile());
    }

    /** The client key authorized on every host, as a file (for ssh-add and the like). */
    Path privateKeyFile() {
        return base.resolve("id_ed25519");
    }

    /** The authorized_keys file of {@code host}, which sshd reads at every login. */
    Path authorizedKeys(int host) {
        return base.resolve("h" + host + "/authorized_keys");
    }

    Path knownHosts() {
        return base.resolve("known_hosts");
    }

    /** {@code "ssh-ed25519 AAAA..."} of host {@code host}. */
    String hostKeyLine(int host) {
        String[] words =
                read(base.resolve("h" + host + "/ssh_host_ed25519_key.pub")).split(" ");
        return words[0] + " " + words[1];
    }

    /** OpenSSH's SHA256 fingerprint of the current host key of {@code host}. */
    String fingerprint(int host) {
        return run(
                        List.of(
                                "ssh-keygen",
                                "-l",
                                "-f",
                                base.resolve("h" + host + "/ssh_host_ed25519_key.pub")
                                        .toString()),
                        Map.of())
                .split(" ")[1];
    }

    /** Settings for root on {@code host}, verified against the hosts' known_hosts. */
    SshSettings settings(int host) {
        return SshSettings.of(address(host), 22, "root", privateKey(), Duration.ofSeconds(5))
                .withKnownHostsFile(knownHosts().toString());
    }

    Path sshdLog(int host) {
        return base.resolve("h" + host + "/sshd.log");
    }

    void restartSshd(int host) {
        script("restart-sshd", "h" + host);
    }

    void linkDown(int host) {
        script("link-down", "h" + host);
    }

    void linkUp(int host) {
        script("link-up", "h" + host);
    }

    void regenerateHostKey(int host) {
        script("regen-hostkey", "h" + host);
    }

    /** Kills, by pid, the server side of every SSH connection to {@code host}. */
    void dropConnections(int host) {
        String kill = """
        for p in $(ip netns pids "$1"); do
          case $(tr '\\000' ' ' <"/proc/$p/cmdline" 2>/dev/null) in
            'sshd: root'*) kill -KILL "$p" 2>/dev/null || true ;;
          esac
        done
        """;
        run(List.of("bash", "-c", kill, "bash", PREFIX + "-h" + host), Map.of());
    }

    @Override
    public void close() {
        script("down", Integer.toString(count));
    }

    private void script(String... args) {
        List<String> argv = new ArrayList<>(List.of(script.toString()));
        argv.addAll(List.of(args));
        run(argv, Map.of("TH_BASE", base.toString(), "TH_PREFIX", PREFIX, "TH_NET", NET));
    }

    private static String run(List<String> argv, Map<String, String> environment) {
        try {
            Path output = Files.createTempFile("testhosts-", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(argv)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(
                                Path.of("/dev/null").toFile()));
                builder.environment().putAll(environment);
                Process process = builder.start();
                if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(argv + " did not finish within " + SCRIPT_TIMEOUT);
                }
                String text = Files.readString(output, UTF_8);
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(
                            argv + " failed with exit status " + process.exitValue() + ":\n" + text);
                }
                return text;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + argv + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + argv, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
