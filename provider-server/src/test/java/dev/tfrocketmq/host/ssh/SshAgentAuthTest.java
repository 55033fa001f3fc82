package dev.tfrocketmq.host.ssh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tfrocketmq.host.HostException;
import dev.tfrocketmq.testing.TestHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Logging in with keys held by real OpenSSH agents ({@code ssh-agent -D -a <socket>}), one agent
 * per situation: the hosts' key, no key, a key the hosts do not know, an RSA key.
 */
class SshAgentAuthTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static TestHosts hosts;
    private static Path dir;
    private static final List<Process> agents = new ArrayList<>();
    private static Path loaded;
    private static Path empty;
    private static Path stranger;
    private static Path rsa;
    private static String strangerKey;

    @BeforeAll
    static void startHostsAndAgents() throws Exception {
        hosts = SshTestHosts.up(2);
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        // Short: a unix socket path has at most 107 bytes.
        dir = Files.createDirectories(
                module.resolve("target/ssh-agents-" + ProcessHandle.current().pid()));

        loaded = startAgent("loaded");
        run(
                Map.of("SSH_AUTH_SOCK", loaded.toString()),
                "ssh-add",
                "-q",
                hosts.privateKey().toString());

        empty = startAgent("empty");

        Path strangerFile = dir.resolve("id_stranger");
        run(Map.of(), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "stranger", "-f", strangerFile.toString());
        strangerKey = Files.readString(strangerFile, UTF_8);
        stranger = startAgent("stranger");
        run(Map.of("SSH_AUTH_SOCK", stranger.toString()), "ssh-add", "-q", strangerFile.toString());

        Path rsaFile = dir.resolve("id_rsa");
        run(Map.of(), "ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-C", "rsa", "-f", rsaFile.toString());
        Files.writeString(
                hosts.authorizedKeys(1), Files.readString(dir.resolve("id_rsa.pub"), UTF_8), StandardOpenOption.APPEND);
        rsa = startAgent("rsa");
        run(Map.of("SSH_AUTH_SOCK", rsa.toString()), "ssh-add", "-q", rsaFile.toString());
    }

    @AfterAll
    static void stopAgentsAndHosts() throws Exception {
        try {
            for (Process agent : agents) {
                agent.destroy();
                if (!agent.waitFor(5, TimeUnit.SECONDS)) {
                    agent.destroyForcibly();
                }
            }
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } finally {
            if (hosts != null) {
                hosts.close();
            }
        }
    }

    /** Starts {@code ssh-agent} in the foreground, as a child of this JVM; returns its socket. */
    private static Path startAgent(String name) throws Exception {
        Path socket = dir.resolve(name + ".sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        agents.add(agent);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(socket)) {
            if (!agent.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "ssh-agent did not create " + socket + " (alive: " + agent.isAlive() + ")");
            }
            Thread.sleep(20);
        }
        return socket;
    }

    private static void run(Map<String, String> environment, String... argv) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(List.of(argv) + " failed: " + output);
        }
    }

    /** Root on {@code host} with no private key or password, only the agent at {@code socket}. */
    private static SshSettings agentOnly(int host, Path socket) {
        return new SshSettings(
                hosts.address(host),
                22,
                "root",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(hosts.knownHosts().toString()),
                false,
                Duration.ofSeconds(5),
                false,
                Optional.empty(),
                true,
                Optional.of(socket.toString()));
    }

    @Test
    void theAgentsKeyLogsIn() {
        try (SshHost host = new SshHost(agentOnly(1, loaded))) {
            assertThat(host.execChecked(List.of("hostname"), TIMEOUT).stdout()).isEqualTo("h1\n");
        }
    }

    @Test
    void anRsaKeyInTheAgentSignsWithSha2() throws IOException {
        // OpenSSH 8.8 and later refuse ssh-rsa (SHA-1) signatures, so logging in means rsa-sha2-*.
        try (SshHost host = new SshHost(agentOnly(1, rsa))) {
            assertThat(host.execChecked(List.of("hostname"), TIMEOUT).stdout()).isEqualTo("h1\n");
        }
        assertThat(Files.readString(hosts.sshdLog(1), UTF_8))
                .contains("Accepted publickey for root")
                .containsPattern("Accepted publickey for root from \\S+ port \\d+ ssh2: RSA SHA256:");
    }

    @Test
    void theAgentServesTheBastionAndTheTarget() {
        SshSettings viaH1 = agentOnly(2, loaded).withBastion(agentOnly(1, loaded));

        try (SshHost host = new SshHost(viaH1)) {
            assertThat(host.execChecked(List.of("hostname"), TIMEOUT).stdout()).isEqualTo("h2\n");
        }
    }

    @Test
    void aPrivateKeyTheHostRejectsIsFollowedByTheAgentsKeys() {
        SshSettings settings = agentOnly(1, loaded).withPrivateKey(strangerKey);

        try (SshHost host = new SshHost(settings)) {
            assertThat(host.execChecked(List.of("hostname"), TIMEOUT).stdout()).isEqualTo("h1\n");
        }
    }

    @Test
    void anEmptyAgentIsNamedWhenNothingElseCanLogIn() {
        try (SshHost host = new SshHost(agentOnly(1, empty))) {
            assertThatThrownBy(() -> host.exec(List.of("true"), TIMEOUT))
                    .isInstanceOf(HostException.class)
                    .message()
                    .containsAnyOf("the SSH agent at " + empty + " holds no keys", "agent (0 keys)");
        }
    }

    @Test
    void failedAuthenticationListsTheAgentAmongTheMethodsTried() {
        try (SshHost withStranger = new SshHost(agentOnly(1, stranger));
                SshHost keyAndEmpty = new SshHost(agentOnly(1, empty).withPrivateKey(strangerKey))) {
            assertThatThrownBy(() -> withStranger.exec(List.of("true"), TIMEOUT))
                    .isInstanceOf(HostException.class)
                    .hasMessageContaining("authentication of root@" + hosts.address(1) + ":22 failed")
                    .hasMessageContaining("agent (1 key)");
            assertThatThrownBy(() -> keyAndEmpty.exec(List.of("true"), TIMEOUT))
                    .isInstanceOf(HostException.class)
                    .hasMessageContaining("tried private_key, agent (0 keys);");
        }
    }

    @Test
    void anUnreachableAgentIsSkipped() {
        SshSettings settings = SshTestHosts.settings(hosts, 1)
                .withAgentSocket(dir.resolve("nobody.sock").toString());

        try (SshHost host = new SshHost(settings)) {
            assertThat(host.execChecked(List.of("hostname"), TIMEOUT).stdout()).isEqualTo("h1\n");
        }
    }
}
