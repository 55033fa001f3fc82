package dev.tfrocketmq.admin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.remoting.RPCHook;

/**
 * The access key and secret key the provider's own admin clients sign their requests with (RocketMQ 5 ACL 2.0: the
 * access key is a user name, the secret key its password). The secret never appears in {@link #toString()}.
 */
public record AdminCredentials(String accessKey, String secretKey) {
    public AdminCredentials {
        requireNonNull(accessKey, "accessKey");
        requireNonNull(secretKey, "secretKey");
        if (accessKey.isEmpty() || secretKey.isEmpty()) {
            throw new IllegalArgumentException("access key and secret key must both be set");
        }
    }

    /** Signs every request of a RocketMQ remoting client with these credentials. */
    public RPCHook rpcHook() {
        return new AclClientRPCHook(new SessionCredentials(accessKey, secretKey));
    }

    /**
     * The credentials RocketMQ's own inner clients use (a slave reading its master's metadata, a proxy talking to
     * brokers), derived from these: a super user of its own whose secret is an HMAC of this secret, so that the admin
     * secret itself is never written into a host's config file. The same admin credentials always derive the same
     * inner user, on every broker and proxy.
     */
    public AdminCredentials inner() {
        String name =
                HexFormat.of().formatHex(hmac("inner-access-key:" + accessKey)).substring(0, 16);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(hmac("inner-secret-key:" + accessKey));
        return new AdminCredentials("rocketmq-inner-" + name, secret);
    }

    private byte[] hmac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretKey.getBytes(UTF_8), "HmacSHA256"));
            return mac.doFinal(message.getBytes(UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /**
     * A digest of both keys: what a pool of clients is keyed by, so that a client is only ever reused for the very
     * credentials it was started with, without keeping the secret in the key.
     */
    String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(accessKey.getBytes(UTF_8));
            sha.update((byte) 0);
            sha.update(secretKey.getBytes(UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "AdminCredentials[accessKey=" + accessKey + ", secretKey=(hidden)]";
    }
}
