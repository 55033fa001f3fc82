package dev.tfrocketmq.context;

import dev.tfrocketmq.admin.AdminCredentials;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.schema.Validator;
import dev.tfrocketmq.framework.schema.Validators;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import dev.tfrocketmq.host.UserEnvironment;
import java.util.Optional;

/** The provider's admin credentials: from its block, else from the environment of the user running Terraform. */
public final class AdminAccess {
    public static final String ACCESS_KEY_VARIABLE = "ROCKETMQ_ACCESS_KEY";
    public static final String SECRET_KEY_VARIABLE = "ROCKETMQ_SECRET_KEY";

    /** RocketMQ's user names: what its ACL 2.0 accepts and what may appear in a JSON config value unescaped. */
    private static final Validator USER_NAME =
            Validators.matches("[A-Za-z0-9_.@-]{1,64}", "letters, digits, _ . @ and - (at most 64)");

    private AdminAccess() {}

    /** A RocketMQ user name, as an access key. */
    public static Validator accessKey() {
        return USER_NAME;
    }

    /**
     * The credentials configured, or none. Both keys or neither: one without the other is an error naming the
     * missing one. Values not yet known (they depend on resources) count as unset.
     */
    public static Optional<AdminCredentials> credentials(
            Value accessKey, Value secretKey, UserEnvironment environment, Diagnostics diagnostics) {
        Optional<String> ak = known(accessKey).or(() -> environment.variable(ACCESS_KEY_VARIABLE));
        Optional<String> sk = known(secretKey).or(() -> environment.variable(SECRET_KEY_VARIABLE));
        ak = ak.filter(s -> !s.isEmpty());
        sk = sk.filter(s -> !s.isEmpty());
        if (ak.isPresent() != sk.isPresent()) {
            String missing = ak.isPresent() ? "secret_key" : "access_key";
            String variable = ak.isPresent() ? SECRET_KEY_VARIABLE : ACCESS_KEY_VARIABLE;
            diagnostics.attributeError(
                    ValuePath.root().attribute(missing),
                    "Incomplete admin credentials",
                    "The provider has " + (ak.isPresent() ? "an access key" : "a secret key") + " but no " + missing
                            + ". Set " + missing + " in the provider block (or " + variable
                            + " in the environment), or remove the other key.");
            return Optional.empty();
        }
        if (ak.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AdminCredentials(ak.get(), sk.get()));
    }

    private static Optional<String> known(Value v) {
        return v != null && v.isKnown() && !v.isNull() ? Optional.of(v.asString()) : Optional.empty();
    }
}
