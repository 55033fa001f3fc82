package dev.tfrocketmq.auth;

import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.rocketmq.remoting.protocol.body.AclInfo;

/**
 * One policy entry of an ACL: a resource (type, name and pattern), the actions on it, the client addresses it
 * applies to and whether it allows or denies. The one place where these values meet their attributes and RocketMQ's
 * {@code Type:name} / {@code Type:prefix*} / {@code *} resource notation.
 *
 * @param resourceName null for {@link #ANY}
 * @param sourceIps    empty for any address
 */
record AclPolicy(
        String resourceType,
        String resourceName,
        String patternType,
        List<String> actions,
        List<String> sourceIps,
        String decision) {
    static final String RESOURCE_TYPE = "resource_type";
    static final String RESOURCE_NAME = "resource_name";
    static final String PATTERN_TYPE = "pattern_type";
    static final String ACTIONS = "actions";
    static final String SOURCE_IPS = "source_ips";
    static final String DECISION = "decision";

    static final String LITERAL = "LITERAL";
    static final String PREFIXED = "PREFIXED";
    /** Every resource of every type: RocketMQ's {@code *}. */
    static final String ANY = "Any";

    AclPolicy {
        actions = List.copyOf(actions);
        sourceIps = List.copyOf(sourceIps);
    }

    /** RocketMQ's resource key: {@code Topic:orders}, {@code Group:app-*}, or {@code *}. */
    String resource() {
        if (ANY.equals(resourceType)) {
            return "*";
        }
        return resourceType + ":" + resourceName + (PREFIXED.equals(patternType) ? "*" : "");
    }

    /** Parses RocketMQ's resource key back into type, name and pattern. */
    static AclPolicy of(String resource, List<String> actions, List<String> sourceIps, String decision) {
        if (resource.equals("*")) {
            return new AclPolicy(ANY, null, LITERAL, actions, sourceIps, decision);
        }
        int colon = resource.indexOf(':');
        String type = colon < 0 ? resource : resource.substring(0, colon);
        String name = colon < 0 ? "" : resource.substring(colon + 1);
        String pattern = LITERAL;
        if (name.endsWith("*") && name.length() > 1) {
            name = name.substring(0, name.length() - 1);
            pattern = PREFIXED;
        }
        return new AclPolicy(type, name, pattern, actions, sourceIps, decision);
    }

    static List<AclPolicy> from(AclInfo acl) {
        List<AclPolicy> out = new ArrayList<>();
        if (acl.getPolicies() == null) {
            return out;
        }
        for (AclInfo.PolicyInfo p : acl.getPolicies()) {
            if (p.getEntries() == null) {
                continue;
            }
            for (AclInfo.PolicyEntryInfo e : p.getEntries()) {
                out.add(of(
                        e.getResource(),
                        e.getActions() == null ? List.of() : e.getActions(),
                        e.getSourceIps() == null ? List.of() : e.getSourceIps(),
                        e.getDecision()));
            }
        }
        return out;
    }

    /** The policies a plan (or state) declares, in order. */
    static List<AclPolicy> of(Value values, String block) {
        List<AclPolicy> out = new ArrayList<>();
        for (Value p : values.attribute(block).elements()) {
            Value ips = p.attribute(SOURCE_IPS);
            out.add(new AclPolicy(
                    p.attribute(RESOURCE_TYPE).asString(),
                    p.attribute(RESOURCE_NAME).isNull()
                            ? null
                            : p.attribute(RESOURCE_NAME).asString(),
                    p.attribute(PATTERN_TYPE).asString(),
                    p.attribute(ACTIONS).elements().stream()
                            .map(Value::asString)
                            .toList(),
                    ips.isNull()
                            ? List.of()
                            : ips.elements().stream().map(Value::asString).toList(),
                    p.attribute(DECISION).asString()));
        }
        return out;
    }

    /** Whether {@code other} says the same (action and address order do not matter to RocketMQ). */
    boolean sameAs(AclPolicy other) {
        return resource().equals(other.resource())
                && decision.equalsIgnoreCase(other.decision)
                && sortedLower(actions).equals(sortedLower(other.actions))
                && sortedLower(sourceIps).equals(sortedLower(other.sourceIps));
    }

    private static List<String> sortedLower(List<String> l) {
        return l.stream().map(s -> s.toLowerCase(Locale.ROOT)).sorted().toList();
    }

    /**
     * The policy as a block value; where {@code declared} says the same, its spelling and order are kept, so a read
     * that only reorders is no change.
     */
    Value toValue(TfType.ObjectType type, AclPolicy declared) {
        AclPolicy shown = declared != null && declared.sameAs(this) ? declared : this;
        return Value.object(
                type,
                Map.of(
                        RESOURCE_TYPE, Value.string(shown.resourceType),
                        RESOURCE_NAME,
                                shown.resourceName == null
                                        ? Value.nullOf(TfType.STRING)
                                        : Value.string(shown.resourceName),
                        PATTERN_TYPE, Value.string(shown.patternType),
                        ACTIONS,
                                Value.list(
                                        TfType.STRING,
                                        shown.actions.stream()
                                                .map(Value::string)
                                                .toList()),
                        SOURCE_IPS,
                                Value.list(
                                        TfType.STRING,
                                        shown.sourceIps.stream()
                                                .map(Value::string)
                                                .toList()),
                        DECISION, Value.string(shown.decision)));
    }
}
