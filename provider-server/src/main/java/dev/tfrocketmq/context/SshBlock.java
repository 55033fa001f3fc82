package dev.tfrocketmq.context;

import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.NestedBlock;
import dev.tfrocketmq.framework.schema.NestingMode;
import dev.tfrocketmq.framework.schema.Validator;
import dev.tfrocketmq.framework.schema.Validators;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.host.UserEnvironment;
import dev.tfrocketmq.host.ssh.SshClientDefaults;
import dev.tfrocketmq.host.ssh.SshSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code ssh} block, in the vocabulary of Terraform's {@code connection} block. In the provider it sets defaults;
 * in a resource it overrides them attribute by attribute.
 *
 * <p>Secrets live only in the provider's block ({@code private_key}, {@code password} and their bastion forms):
 * Terraform never writes a provider's configuration into the state, and the provider receives it again on every run,
 * so refresh, import and destroy have the credentials without their ever being stored. A resource names its own key
 * by path instead ({@code private_key_file}, read on the machine running Terraform when a connection opens), which is
 * safe to keep in state. Different passwords for different hosts take provider aliases.
 */
public final class SshBlock {
    public static final String NAME = "ssh";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final Validator HOST = Validators.host();
    private static final Validator LOCAL_PATH =
            Validators.matches("[A-Za-z0-9._/@+=,~-]+", "a file path (letters, digits and ._/@+=,~- only)");
    private static final Validator USER = Validators.matches("[A-Za-z_][A-Za-z0-9_.-]{0,31}", "a user name");
    private static final Validator PORT = Validators.integerBetween(1, 65535);
    private static final Validator HOST_KEY = Validators.matches(
            "(ssh-[a-z0-9-]+|ecdsa-sha2-nistp[0-9]+|sk-[a-z0-9@.-]+) [A-Za-z0-9+/]+=*( [^\\n]*)?",
            "a public key line such as \"ssh-ed25519 AAAAC3Nza...\" (as in known_hosts, without the host name)");

    private SshBlock() {}

    /** The provider's block: defaults for every component, secrets included. */
    public static NestedBlock inProvider(String description) {
        return NestedBlock.of(NAME, NestingMode.SINGLE, block(description, true));
    }

    /** A resource's block: overrides without secrets (keys by path only). */
    public static NestedBlock inResource(String description) {
        return NestedBlock.of(NAME, NestingMode.SINGLE, block(description, false));
    }

    static Block block(String description, boolean withSecrets) {
        List<Attribute> attributes = new ArrayList<>(List.of(
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
                Attribute.string("private_key_file")
                        .optional()
                        .validate(LOCAL_PATH)
                        .description("Path of the private key on the machine running Terraform (`~/` and "
                                + "relative paths allowed), read when a connection opens; only the path is "
                                + "kept in state.")
                        .build(),
                Attribute.bool("agent")
                        .optional()
                        .description("Use the SSH agent at `SSH_AUTH_SOCK`. Default: true when `SSH_AUTH_SOCK` is set "
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
                        .description("Accept any host key. Off by default; turning it on exposes the connection to "
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
                        .description("Run commands through `sudo -n` (for a non-root user with passwordless sudo).")
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
                Attribute.string("bastion_private_key_file")
                        .optional()
                        .validate(LOCAL_PATH)
                        .description("Path of the jump host's private key. Default: the target's key.")
                        .build(),
                Attribute.string("bastion_host_key")
                        .optional()
                        .validate(HOST_KEY)
                        .description("The jump host's expected public key.")
                        .build()));
        if (withSecrets) {
            attributes.addAll(List.of(
                    Attribute.string("private_key")
                            .optional()
                            .sensitive()
                            .description("Private key text (OpenSSH or PEM), e.g. `file(\"~/.ssh/id_ed25519\")`. "
                                    + "Only in the provider block: never stored in state, logged or written to a host.")
                            .build(),
                    Attribute.string("password")
                            .optional()
                            .sensitive()
                            .description("Password, if no key is used. Only in the provider block.")
                            .build(),
                    Attribute.string("bastion_private_key")
                            .optional()
                            .sensitive()
                            .description("Jump host private key. Default: the target's key.")
                            .build(),
                    Attribute.string("bastion_password")
                            .optional()
                            .sensitive()
                            .description("Jump host password. Default: `password`.")
                            .build()));
        }
        return new Block(attributes, List.of(), description, false);
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
        Optional<String> key = secret(l, "private_key", environment);
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
                        secret(l, "bastion_private_key", environment).or(() -> key),
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

    /**
     * A key, nearest first: the resource's {@code <name>_file}, the provider's {@code <name>} text, the provider's
     * {@code <name>_file}.
     */
    private static Optional<String> secret(Layers l, String name, UserEnvironment environment) {
        Layers resource = new Layers(l.first(), null);
        Layers provider = new Layers(l.second(), null);
        return keyFile(resource, name + "_file", environment)
                .or(() -> provider.string(name))
                .or(() -> keyFile(provider, name + "_file", environment));
    }

    /** The key text from a {@code *_file} attribute, read now; fails naming the attribute and the path. */
    private static Optional<String> keyFile(Layers l, String attribute, UserEnvironment environment) {
        return l.string(attribute).map(path -> {
            Path file = environment.resolve(path);
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new OperatorException(
                        "Cannot read the SSH key named by " + attribute,
                        "ssh." + attribute + " is " + path + " (" + file + " on the machine running Terraform), which "
                                + "cannot be read: " + e.getMessage() + ". Point it at a readable private key file, "
                                + "or use the agent.");
            }
        });
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
                if (block != null
                        && block.isKnown()
                        && !block.isNull()
                        && ((TfType.ObjectType) block.type()).attributeTypes().containsKey(name)) {
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
