package dev.tfrocketmq.context;

import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.NestedBlock;
import dev.tfrocketmq.framework.schema.NestingMode;
import dev.tfrocketmq.framework.schema.Validator;
import dev.tfrocketmq.framework.schema.Validators;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.host.UserEnvironment;
import dev.tfrocketmq.host.ssh.SshClientDefaults;
import dev.tfrocketmq.host.ssh.SshSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code ssh} block, in the vocabulary of Terraform's {@code connection} block. In the provider it sets defaults;
 * in a resource it overrides them attribute by attribute.
 */
public final class SshBlock {
    public static final String NAME = "ssh";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final Validator HOST = Validators.host();
    private static final Validator USER = Validators.matches("[A-Za-z_][A-Za-z0-9_.-]{0,31}", "a user name");
    private static final Validator PORT = Validators.integerBetween(1, 65535);
    private static final Validator HOST_KEY = Validators.matches(
            "(ssh-[a-z0-9-]+|ecdsa-sha2-nistp[0-9]+|sk-[a-z0-9@.-]+) [A-Za-z0-9+/]+=*( [^\\n]*)?",
            "a public key line such as \"ssh-ed25519 AAAAC3Nza...\" (as in known_hosts, without the host name)");

    private SshBlock() {}

    public static NestedBlock nested(String description) {
        return NestedBlock.of(NAME, NestingMode.SINGLE, block(description));
    }

    static Block block(String description) {
        return new Block(
                List.of(
                        Attribute.string("user")
                                .optional()
                                .validate(USER)
                                .description("Login user. Default `root`.")
                                .build(),
                        Attribute.number("port")
                                .optional()
                                .validate(PORT)
                                .description("SSH port. Default 22.")
                                .build(),
                        Attribute.string("private_key")
                                .optional()
                                .sensitive()
                                .description(
                                        "Private key text (OpenSSH or PEM), e.g. `file(\"~/.ssh/id_ed25519\")`. Never logged "
                                                + "or written to the host.")
                                .build(),
                        Attribute.string("password")
                                .optional()
                                .sensitive()
                                .description("Password, if no key is used.")
                                .build(),
                        Attribute.bool("agent")
                                .optional()
                                .description(
                                        "Use the SSH agent at `SSH_AUTH_SOCK`. Default: true when `SSH_AUTH_SOCK` is set "
                                                + "and neither `private_key` nor `password` is given.")
                                .build(),
                        Attribute.string("host_key")
                                .optional()
                                .validate(HOST_KEY)
                                .description(
                                        "The host's expected public key (`ssh-ed25519 AAAA...`). Without it, `known_hosts_file` "
                                                + "is used.")
                                .build(),
                        Attribute.string("known_hosts_file")
                                .optional()
                                .validate(Validators.matches(
                                        "(~|/)[A-Za-z0-9._/@+=,-]*", "an absolute path (or one starting with ~)"))
                                .description("known_hosts file used to verify host keys. Default `~/.ssh/known_hosts`.")
                                .build(),
                        Attribute.bool("insecure_ignore_host_key")
                                .optional()
                                .description(
                                        "Accept any host key. Off by default; turning it on exposes the connection to "
                                                + "man-in-the-middle attacks.")
                                .build(),
                        Attribute.string("timeout")
                                .optional()
                                .validate(Validators.matches(
                                        "[1-9][0-9]{0,5}(ms|s|m)", "a duration such as \"30s\", \"500ms\" or \"2m\""))
                                .description("Connect timeout. Default `30s`.")
                                .build(),
                        Attribute.bool("sudo")
                                .optional()
                                .description(
                                        "Run commands through `sudo -n` (for a non-root user with passwordless sudo).")
                                .build(),
                        Attribute.string("bastion_host")
                                .optional()
                                .validate(HOST)
                                .description("Jump host to reach the target through.")
                                .build(),
                        Attribute.number("bastion_port")
                                .optional()
                                .validate(PORT)
                                .description("Jump host SSH port. Default 22.")
                                .build(),
                        Attribute.string("bastion_user")
                                .optional()
                                .validate(USER)
                                .description("Jump host user. Default: `user`.")
                                .build(),
                        Attribute.string("bastion_private_key")
                                .optional()
                                .sensitive()
                                .description("Jump host private key. Default: `private_key`.")
                                .build(),
                        Attribute.string("bastion_password")
                                .optional()
                                .sensitive()
                                .description("Jump host password. Default: `password`.")
                                .build(),
                        Attribute.string("bastion_host_key")
                                .optional()
                                .validate(HOST_KEY)
                                .description("The jump host's expected public key.")
                                .build()),
                List.of(),
                description,
                false);
    }

    /**
     * Settings for {@code host}: the resource's block over the provider's over the defaults, which come from the
     * environment of the user running Terraform ({@code ~/.ssh}, {@code SSH_AUTH_SOCK}).
     */
    public static SshSettings resolve(
            String host, Value resourceBlock, Value providerBlock, UserEnvironment environment) {
        SshClientDefaults defaults = SshClientDefaults.of(environment);
        Optional<String> agentSocket = defaults.agentSocket();
        Layers l = new Layers(resourceBlock, providerBlock);
        Optional<String> key = l.string("private_key");
        Optional<String> password = l.string("password");
        Optional<String> knownHosts = l.string("known_hosts_file").map(environment::expandHome);
        boolean insecure = l.bool("insecure_ignore_host_key").orElse(false);
        Duration timeout = l.string("timeout").map(SshBlock::duration).orElse(DEFAULT_TIMEOUT);
        String user = l.string("user").orElse("root");
        boolean agent = l.bool("agent").orElse(agentSocket.isPresent() && key.isEmpty() && password.isEmpty());
        Optional<SshSettings> bastion = l.string("bastion_host")
                .map(b -> new SshSettings(
                        b,
                        l.number("bastion_port").orElse(22),
                        l.string("bastion_user").orElse(user),
                        l.string("bastion_private_key").or(() -> key),
                        l.string("bastion_password").or(() -> password),
                        l.string("bastion_host_key"),
                        knownHosts,
                        insecure,
                        timeout,
                        false,
                        Optional.empty(),
                        agent,
                        Optional.empty(),
                        defaults));
        return new SshSettings(
                host,
                l.number("port").orElse(22),
                user,
                key,
                password,
                l.string("host_key"),
                knownHosts,
                insecure,
                timeout,
                l.bool("sudo").orElse(false),
                bastion,
                agent,
                Optional.empty(),
                defaults);
    }

    static Duration duration(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        return text.endsWith("m") ? Duration.ofMinutes(n) : Duration.ofSeconds(n);
    }

    /** Looks an attribute up in the resource's block, then the provider's. */
    private record Layers(Value first, Value second) {
        Optional<Value> get(String name) {
            for (Value block : new Value[] {first, second}) {
                if (block != null && block.isKnown() && !block.isNull()) {
                    Value v = block.attribute(name);
                    if (v.isKnown() && !v.isNull()) {
                        return Optional.of(v);
                    }
                }
            }
            return Optional.empty();
        }

        Optional<String> string(String name) {
            return get(name).map(Value::asString);
        }

        Optional<Integer> number(String name) {
            return get(name).map(Value::asInt);
        }

        Optional<Boolean> bool(String name) {
            return get(name).map(Value::asBool);
        }
    }
}
