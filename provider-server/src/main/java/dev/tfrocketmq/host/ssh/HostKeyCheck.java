package dev.tfrocketmq.host.ssh;

import dev.tfrocketmq.host.HostException;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Verifies the key a server presents by one of three rules (an expected key line, a known_hosts
 * file, or none at all) and remembers a rejected key so that the error can show it.
 */
final class HostKeyCheck implements HostKeyVerifier {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** The type and base64 blob of a public key line. */
    record KeyLine(String type, String base64) {
        String line() {
            return type + " " + base64;
        }
    }

    private final String endpoint;
    private final Optional<KeyLine> expected;
    private final Optional<File> knownHostsFile;
    private final HostKeyVerifier rule;
    private volatile KeyLine rejected;

    private HostKeyCheck(
            String endpoint, Optional<KeyLine> expected, Optional<File> knownHostsFile, HostKeyVerifier rule) {
        this.endpoint = endpoint;
        this.expected = expected;
        this.knownHostsFile = knownHostsFile;
        this.rule = rule;
    }

    /** The check for {@code settings}; {@code null} when any key is accepted. */
    static HostKeyCheck forSettings(SshSettings settings) {
        String endpoint = settings.endpoint();
        if (settings.hostKey().isPresent()) {
            KeyLine expected = parseKeyLine(settings.hostKey().get());
            return new HostKeyCheck(endpoint, Optional.of(expected), Optional.empty(), new HostKeyVerifier() {
                @Override
                public boolean verify(String hostname, int port, PublicKey key) {
                    return expected.equals(keyLine(key));
                }

                @Override
                public List<String> findExistingAlgorithms(String hostname, int port) {
                    return List.of(expected.type());
                }
            });
        }
        if (settings.insecureIgnoreHostKey()) {
            return null;
        }
        File file = settings.knownHostsFile()
                .map(File::new)
                .orElseGet(() -> settings.clientDefaults()
                        .sshDirectory()
                        .resolve("known_hosts")
                        .toFile());
        OpenSSHKnownHosts knownHosts;
        try {
            knownHosts = file.isFile() ? new OpenSSHKnownHosts(file) : new OpenSSHKnownHosts(new StringReader(""));
        } catch (IOException e) {
            throw new HostException(
                    "cannot read the known_hosts file " + file + " to verify the host key of " + endpoint + ": "
                            + e.getMessage(),
                    e);
        }
        return new HostKeyCheck(endpoint, Optional.empty(), Optional.of(file), knownHosts);
    }

    /** Parses {@code "type base64 [comment]"}; throws IllegalArgumentException otherwise. */
    static KeyLine parseKeyLine(String line) {
        String[] words = WHITESPACE.split(line.strip());
        if (words.length < 2 || !words[0].matches("[a-z0-9@.-]+")) {
            throw new IllegalArgumentException("a host key must be a public key line such as"
                    + " \"ssh-ed25519 AAAA...\" (as in the server's ssh_host_*_key.pub), got \"" + line
                    + "\"");
        }
        try {
            Base64.getDecoder().decode(words[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key of host key line \"" + line + "\" is not base64", e);
        }
        return new KeyLine(words[0], words[1]);
    }

    static KeyLine keyLine(PublicKey key) {
        byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
        return new KeyLine(KeyType.fromKey(key).toString(), Base64.getEncoder().encodeToString(blob));
    }

    /** OpenSSH's fingerprint: {@code SHA256:} and the unpadded base64 of the key blob's hash. */
    static String fingerprint(KeyLine key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(Base64.getDecoder().decode(key.base64()));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        boolean accepted = rule.verify(hostname, port, key);
        if (!accepted) {
            rejected = keyLine(key);
        }
        return accepted;
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        return rule.findExistingAlgorithms(hostname, port);
    }

    /** The message for a rejected key, if the last verification rejected one. */
    Optional<String> rejection() {
        KeyLine key = rejected;
        if (key == null) {
            return Optional.empty();
        }
        String knownHostsLine = knownHostsHost() + " " + key.line();
        StringBuilder message = new StringBuilder()
                .append("the host key of ")
                .append(endpoint)
                .append(" was not accepted: the server" + " presented the ")
                .append(key.type())
                .append(" key ")
                .append(fingerprint(key));
        if (expected.isPresent()) {
            message.append(", but host_key expects ")
                    .append(expected.get().type())
                    .append(' ')
                    .append(fingerprint(expected.get()));
        } else {
            File file = knownHostsFile.orElseThrow();
            message.append(", which ")
                    .append(
                            file.isFile()
                                    ? "does not match the known_hosts file " + file
                                    : "cannot be checked because the known_hosts file " + file + " does not exist");
        }
        message.append(". If this is the right key, set host_key = \"")
                .append(key.line())
                .append("\" or add the line \"")
                .append(knownHostsLine)
                .append("\" to the known_hosts file; set insecure_ignore_host_key = true only if you"
                        + " accept the risk of connecting to an impostor");
        return Optional.of(message.toString());
    }

    private String knownHostsHost() {
        int colon = endpoint.lastIndexOf(':');
        String host = endpoint.substring(0, colon);
        String port = endpoint.substring(colon + 1);
        return port.equals("22") ? host : "[" + host + "]:" + port;
    }
}
