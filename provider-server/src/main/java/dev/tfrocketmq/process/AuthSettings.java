package dev.tfrocketmq.process;

import dev.tfrocketmq.admin.AdminCredentials;
import dev.tfrocketmq.admin.AdminErrors;
import dev.tfrocketmq.admin.BrokerVersion;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.log.Log;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import dev.tfrocketmq.runtime.RocketMqVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Authentication and authorization (RocketMQ 5.3+ ACL 2.0) as typed attributes of the processes that enforce them:
 * brokers keep users and ACLs in their own store; a proxy asks the brokers. Turned on, a process gets the settings
 * RocketMQ reads and the credentials of its inner clients, derived from the provider's admin credentials
 * ({@link AdminCredentials#inner()}), so the admin secret itself never reaches a host's file. Its readiness check
 * signs with those inner credentials, which exist from the first start on.
 */
public final class AuthSettings implements ProcessKind.Authentication, ProcessKind.ConfigCheck {
    private static final Log LOG = Log.named("auth");
    public static final String AUTHENTICATION = "authentication_enabled";
    public static final String AUTHORIZATION = "authorization_enabled";
    /** The first release with ACL 2.0 on Maven Central's 5.3 line. */
    public static final RocketMqVersion ACL_2 = new RocketMqVersion(5, 3, 0, "");

    private static final String DEFAULT_AUTHENTICATION =
            "org.apache.rocketmq.auth.authentication.provider.DefaultAuthenticationProvider";
    private static final String DEFAULT_AUTHORIZATION =
            "org.apache.rocketmq.auth.authorization.provider.DefaultAuthorizationProvider";

    private final String authenticationMetadata;
    private final String authorizationMetadata;
    private final Map<String, String> extra;
    private final Function<Value, String> userStore;

    private AuthSettings(
            String authenticationMetadata,
            String authorizationMetadata,
            Map<String, String> extra,
            Function<Value, String> userStore) {
        this.authenticationMetadata = authenticationMetadata;
        this.authorizationMetadata = authorizationMetadata;
        this.extra = extra;
        this.userStore = userStore;
    }

    /**
     * A broker: users and ACLs in its own store (RocksDB under its store path). Once ready, the provider's admin user
     * is created there as a super user if it is missing.
     *
     * @param address the broker's {@code host:port} in a plan
     */
    public static AuthSettings broker(Function<Value, String> address) {
        return new AuthSettings(
                "org.apache.rocketmq.auth.authentication.provider.LocalAuthenticationMetadataProvider",
                "org.apache.rocketmq.auth.authorization.provider.LocalAuthorizationMetadataProvider",
                Map.of(),
                address);
    }

    /** A proxy in cluster mode: users and ACLs read from the brokers, its inner clients signing their requests. */
    public static AuthSettings proxy() {
        return new AuthSettings(
                "org.apache.rocketmq.proxy.auth.ProxyAuthenticationMetadataProvider",
                "org.apache.rocketmq.proxy.auth.ProxyAuthorizationMetadataProvider",
                Map.of("enableAclRpcHookForClusterMode", "true"),
                null);
    }

    /** The two typed attributes; {@code what} names the process in their descriptions. */
    public static List<Attribute> attributes(String what) {
        return List.of(
                Attribute.bool(AUTHENTICATION)
                        .optional()
                        .description("RocketMQ 5.3+ ACL 2.0 authentication (`authenticationEnabled`): every client of "
                                + "this " + what + " must sign its requests as a user. Needs the provider's "
                                + "`access_key` and `secret_key`, which become the first super user of every broker "
                                + "that turns it on; the " + what + "'s inner clients get credentials derived from "
                                + "them, so the admin secret is never written to the host. Changing it restarts the "
                                + what + ".")
                        .build(),
                Attribute.bool(AUTHORIZATION)
                        .optional()
                        .description("RocketMQ 5.3+ ACL 2.0 authorization (`authorizationEnabled`): users other than "
                                + "super users may do only what an ACL (`rocketmq_acl`) allows. Needs "
                                + "`authentication_enabled`. Changing it restarts the " + what + ".")
                        .build());
    }

    /** Whether a plan turns authentication on. */
    public static boolean authentication(Value planned) {
        return isTrue(planned.attribute(AUTHENTICATION));
    }

    /** The version a plan with authentication (or authorization) needs. */
    public static Optional<ProcessKind.VersionRequirement.Requirement> requirement(Value planned) {
        if (isTrue(planned.attribute(AUTHENTICATION)) || isTrue(planned.attribute(AUTHORIZATION))) {
            return Optional.of(new ProcessKind.VersionRequirement.Requirement(
                    ACL_2,
                    isTrue(planned.attribute(AUTHENTICATION)) ? AUTHENTICATION : AUTHORIZATION,
                    "ACL 2.0 (authentication and authorization)"));
        }
        return Optional.empty();
    }

    private static boolean isTrue(Value v) {
        return v.isKnown() && !v.isNull() && v.asBool();
    }

    @Override
    public void check(Value config, Diagnostics diagnostics) {
        Value authn = config.attribute(AUTHENTICATION);
        Value authz = config.attribute(AUTHORIZATION);
        if (isTrue(authz) && authn.isKnown() && !isTrue(authn)) {
            diagnostics.attributeError(
                    ValuePath.root().attribute(AUTHORIZATION),
                    "Authorization needs authentication",
                    "authorization_enabled decides what a user may do, so the user must be known: set "
                            + "authentication_enabled = true as well, or remove authorization_enabled.");
        }
    }

    @Override
    public Map<String, String> entries(Value planned, Optional<AdminCredentials> admin) {
        if (!authentication(planned)) {
            return Map.of();
        }
        AdminCredentials inner = require(admin).inner();
        Map<String, String> e = new LinkedHashMap<>();
        e.put("authenticationEnabled", "true");
        e.put("authenticationProvider", DEFAULT_AUTHENTICATION);
        e.put("authenticationMetadataProvider", authenticationMetadata);
        e.put("authorizationEnabled", String.valueOf(isTrue(planned.attribute(AUTHORIZATION))));
        e.put("authorizationProvider", DEFAULT_AUTHORIZATION);
        e.put("authorizationMetadataProvider", authorizationMetadata);
        // Names and secrets of inner users are [A-Za-z0-9_-] only: nothing to escape in this JSON.
        e.put(
                "innerClientAuthenticationCredentials",
                "{\"accessKey\":\"" + inner.accessKey() + "\",\"secretKey\":\"" + inner.secretKey() + "\"}");
        e.putAll(extra);
        return e;
    }

    @Override
    public Set<String> keys() {
        Set<String> keys = new TreeSet<>(List.of(
                "authenticationEnabled",
                "authenticationProvider",
                "authenticationMetadataProvider",
                "authorizationEnabled",
                "authorizationProvider",
                "authorizationMetadataProvider",
                "innerClientAuthenticationCredentials"));
        keys.addAll(extra.keySet());
        return keys;
    }

    @Override
    public Optional<AdminCredentials> readiness(Value planned, Optional<AdminCredentials> admin) {
        return authentication(planned) ? Optional.of(require(admin).inner()) : admin;
    }

    /**
     * On a broker with authentication on: the provider's admin user is created as a super user unless the broker has
     * it, through the inner credentials (a super user from the first start on). The admin secret reaches only
     * RocketMQ's user store. An existing user is left as it is.
     */
    @Override
    public void afterReady(StartedProcess process, Optional<AdminCredentials> admin) {
        if (userStore == null || !authentication(process.planned())) {
            return;
        }
        AdminCredentials user = require(admin);
        String address = userStore.apply(process.planned());
        DefaultMQAdminExt client = process.admin()
                .forNameServers(process.planned().attribute("name_servers").elements().stream()
                        .map(Value::asString)
                        .toList());
        try {
            Optional<RocketMqVersion> version = BrokerVersion.of(client, address);
            if (version.isPresent() && version.get().compareTo(ACL_2) < 0) {
                throw new OperatorException(
                        "authentication_enabled needs RocketMQ " + ACL_2 + " or newer",
                        "The broker at " + address + " runs RocketMQ " + version.get() + ", which has no ACL 2.0 and "
                                + "ignores the authentication settings. Use a 5.3+ distribution, or remove "
                                + "authentication_enabled.",
                        ValuePath.root().attribute(AUTHENTICATION),
                        null);
            }
            if (client.getUser(address, user.accessKey()) == null) {
                client.createUser(address, user.accessKey(), user.secretKey(), "Super");
                LOG.info("admin user created", "broker", address, "user", user.accessKey());
            }
        } catch (OperatorException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new OperatorException(
                    "Cannot bootstrap the admin user on broker " + address,
                    "The broker runs with authentication on, but creating the provider's admin user "
                            + user.accessKey() + " through its inner credentials failed: " + AdminErrors.describe(e)
                            + ". The broker keeps running; the next apply tries again.",
                    e);
        }
    }

    private static AdminCredentials require(Optional<AdminCredentials> admin) {
        return admin.orElseThrow(() -> new OperatorException(
                "authentication_enabled needs the provider's admin credentials",
                "A process with authentication on is bootstrapped with the provider's admin user. Set access_key and "
                        + "secret_key in the provider block (or ROCKETMQ_ACCESS_KEY and ROCKETMQ_SECRET_KEY in the "
                        + "environment). Nothing was changed.",
                ValuePath.root().attribute(AUTHENTICATION),
                null));
    }
}
