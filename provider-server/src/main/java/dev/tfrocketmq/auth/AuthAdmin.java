package dev.tfrocketmq.auth;

import dev.tfrocketmq.admin.AdminErrors;
import dev.tfrocketmq.admin.ClusterBrokers;
import dev.tfrocketmq.context.ProviderContext;
import dev.tfrocketmq.framework.diag.OperatorException;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.runtime.RocketMqVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.rocketmq.remoting.protocol.body.AclInfo;
import org.apache.rocketmq.remoting.protocol.body.UserInfo;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Users and ACLs (RocketMQ 5.3+ ACL 2.0) on one cluster. Every broker, master or slave, keeps its own store and
 * enforces it for the clients it serves, so each object is written to and read from every broker. A broker's "no such
 * user" is definite; any other failure is an error that leaves the state alone. Passwords never leave this class
 * except to RocketMQ.
 */
final class AuthAdmin {
    static final RocketMqVersion ACL_2 = new RocketMqVersion(5, 3, 0, "");

    private final DefaultMQAdminExt admin;
    private final ClusterBrokers brokers;

    private AuthAdmin(DefaultMQAdminExt admin, ClusterBrokers brokers) {
        this.admin = admin;
        this.brokers = brokers;
    }

    static AuthAdmin of(ProviderContext context, Value values) {
        List<String> nameServers = context.nameServers(values.attribute("name_servers"));
        DefaultMQAdminExt admin = context.admin().forNameServers(nameServers);
        return new AuthAdmin(
                admin,
                new ClusterBrokers(
                        admin, nameServers, values.attribute("cluster_name").asString()));
    }

    /** Every broker of the cluster: address to label. */
    Map<String, String> brokers() {
        return brokers.all();
    }

    /** Labels of every broker, sorted: what {@code brokers} attributes compare against. */
    List<String> labels() {
        return new ArrayList<>(brokers.all().values()).stream().sorted().toList();
    }

    /**
     * Refuses a cluster with a broker older than 5.3 (no ACL 2.0), naming the broker and its version. A broker that
     * reports no parsable version is let through.
     */
    void requireAcl2(String typeName) {
        for (Map.Entry<String, String> b : brokers.all().entrySet()) {
            Optional<RocketMqVersion> v = brokers.version(b.getKey());
            if (v.isPresent() && v.get().compareTo(ACL_2) < 0) {
                throw new OperatorException(
                        typeName + " needs RocketMQ " + ACL_2 + " or newer",
                        typeName + " manages ACL 2.0 objects, which RocketMQ has from " + ACL_2 + " on. Broker "
                                + b.getValue() + " at " + b.getKey() + " runs RocketMQ " + v.get()
                                + ". Upgrade the cluster's brokers to 5.3 or newer (with authentication_enabled), or "
                                + "remove this resource. Nothing was changed.");
            }
        }
    }

    // ------------------------------------------------------------------ users

    /** The user on each broker that has it, by broker label. */
    Map<String, UserInfo> readUser(String username) {
        Map<String, UserInfo> found = new LinkedHashMap<>();
        for (Map.Entry<String, String> b : brokers.all().entrySet()) {
            UserInfo u;
            try {
                u = admin.getUser(b.getKey(), username);
            } catch (Exception e) {
                if (AdminErrors.isAuthObjectMissing(e)) {
                    continue;
                }
                throw brokers.failure("read user " + username + " on broker " + b.getValue(), e);
            }
            if (u != null) {
                found.put(b.getValue(), u);
            }
        }
        return found;
    }

    /**
     * Creates the user where it is missing and updates it where it exists. {@code password} null keeps the password
     * each broker has (a broker that lacks the user then cannot get it: an error says to bump password_version).
     */
    List<String> writeUser(String username, String password, String type, String status) {
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, String> b : brokers.all().entrySet()) {
            String doing = "write user " + username + " on broker " + b.getValue();
            try {
                boolean exists = admin.getUser(b.getKey(), username) != null;
                if (!exists) {
                    if (password == null) {
                        throw new OperatorException(
                                "User " + username + " is missing on broker " + b.getValue(),
                                "The broker at " + b.getKey() + " has no user " + username + ", and a user cannot be "
                                        + "created without its password, which Terraform does not keep. Change "
                                        + "password_version (the configuration's password is then sent again) and "
                                        + "apply. " + alreadyWritten(written));
                    }
                    admin.createUser(b.getKey(), username, password, type);
                    admin.updateUser(b.getKey(), username, null, type, status);
                } else {
                    admin.updateUser(b.getKey(), username, password, type, status);
                }
            } catch (OperatorException e) {
                throw e;
            } catch (Exception e) {
                throw new OperatorException(
                        "Cannot " + doing,
                        "Broker at " + b.getKey() + ": " + AdminErrors.describe(e) + ". " + alreadyWritten(written),
                        e);
            }
            written.add(b.getValue());
        }
        return written.stream().sorted().toList();
    }

    /** Deletes the user (and, as RocketMQ does, its ACL) on every broker; one already gone is not an error. */
    void deleteUser(String username) {
        for (Map.Entry<String, String> b : brokers.all().entrySet()) {
            try {
                if (admin.getUser(b.getKey(), username) != null) {
                    admin.deleteUser(b.getKey(), username);
                }
            } catch (Exception e) {
                if (!AdminErrors.isAuthObjectMissing(e)) {
                    throw brokers.failure("delete user " + username + " on broker " + b.getValue(), e);
                }
            }
        }
    }

    // ------------------------------------------------------------------ ACLs

    /** The subject's ACL on each broker that has one, by broker label. */
    Map<String, List<AclPolicy>> readAcl(String subject) {
        Map<String, List<AclPolicy>> found = new LinkedHashMap<>();
        for (Map.Entry<String, String> b : brokers.all().entrySet()) {
            AclInfo acl;
            try {
                acl = admin.getAcl(b.getKey(), subject);
            } catch (Exception e) {
                if (AdminErrors.isAuthObjectMissing(e)) {
                    continue;
                }
                throw brokers.failure("read the ACL of " + subject + " on broker " + b.getValue(), e);
            }
            if (acl != null && acl.getPolicies() != null) {
                List<AclPolicy> policies = AclPolicy.from(acl);
                if (!policies.isEmpty()) {
                    found.put(b.getValue(), policies);
                }
            }
        }
        return found;
    }

    /**
     * Makes the subject's ACL on every broker exactly {@code desired}: entries for other resources are deleted, the
     * declared ones created or updated (RocketMQ replaces an entry of the same resource).
     */
    List<String> writeAcl(String subject, List<AclPolicy> desired) {
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, String> b : brokers.all().entrySet()) {
            String addr = b.getKey();
            try {
                AclInfo existing = admin.getAcl(addr, subject);
                List<AclPolicy> current = existing == null ? List.of() : AclPolicy.from(existing);
                for (AclPolicy p : current) {
                    if (desired.stream().noneMatch(d -> d.resource().equals(p.resource()))) {
                        admin.deleteAcl(addr, subject, p.resource());
                    }
                }
                boolean first = current.isEmpty();
                for (AclPolicy p : desired) {
                    if (first) {
                        admin.createAcl(addr, subject, List.of(p.resource()), p.actions(), p.sourceIps(), p.decision());
                        first = false;
                    } else {
                        admin.updateAcl(addr, subject, List.of(p.resource()), p.actions(), p.sourceIps(), p.decision());
                    }
                }
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                String hint = AdminErrors.isAuthObjectMissing(e)
                        ? " The subject's user does not exist on that broker: create it first (rocketmq_user), "
                                + "for example by referring to its username."
                        : "";
                throw new OperatorException(
                        "Cannot write the ACL of " + subject + " on broker " + b.getValue(),
                        "Broker at " + addr + ": " + AdminErrors.describe(e) + "." + hint + " "
                                + alreadyWritten(written),
                        e);
            }
            written.add(b.getValue());
        }
        return written.stream().sorted().toList();
    }

    /** Deletes the subject's whole ACL on every broker; one already gone is not an error. */
    void deleteAcl(String subject) {
        for (Map.Entry<String, String> b : brokers.all().entrySet()) {
            try {
                if (admin.getAcl(b.getKey(), subject) != null) {
                    admin.deleteAcl(b.getKey(), subject, null);
                }
            } catch (Exception e) {
                if (!AdminErrors.isAuthObjectMissing(e)) {
                    throw brokers.failure("delete the ACL of " + subject + " on broker " + b.getValue(), e);
                }
            }
        }
    }

    private static String alreadyWritten(List<String> written) {
        return written.isEmpty()
                ? "No broker was changed."
                : "Already written on " + written + "; the next apply writes the rest.";
    }
}
