package dev.tfrocketmq.process;

import dev.tfrocketmq.framework.value.Value;
import java.util.ArrayList;
import java.util.List;

/** Why a running process restarts: attributes on its command line, and config keys only a start reads. */
record PlannedRestart(List<String> attributes, List<String> keys) {
    boolean none() {
        return attributes.isEmpty() && keys.isEmpty();
    }

    List<String> all() {
        List<String> all = new ArrayList<>(attributes.stream()
                .map(a -> a.equals("distribution_sha256") ? "distribution" : a)
                .toList());
        all.addAll(keys);
        return all;
    }

    String explain(Value prior, Value planned) {
        List<String> parts = new ArrayList<>();
        for (String attribute : attributes) {
            if (attribute.equals("distribution_sha256")) {
                parts.add("it upgrades in place to a new distribution" + versions(prior, planned)
                        + " (same directory, store and ports)");
            }
        }
        List<String> commandLine = attributes.stream()
                .filter(a -> !a.equals("distribution_sha256"))
                .toList();
        if (!commandLine.isEmpty()) {
            parts.add(String.join(", ", commandLine) + " change its command line");
        }
        if (!keys.isEmpty()) {
            Value version = prior.attribute(PlannedVersion.ATTRIBUTE);
            String running = version.isKnown() && !version.isNull() ? "RocketMQ " + version.asString() : "its version";
            parts.add(running + " reads " + String.join(", ", keys) + " only at start (the provider's "
                    + "documentation lists the keys applied live)");
        }
        return String.join("; ", parts) + ".";
    }

    private static String versions(Value prior, Value planned) {
        Value from = prior.attribute(PlannedVersion.ATTRIBUTE);
        Value to = planned.attribute(PlannedVersion.ATTRIBUTE);
        if (from.isKnown() && !from.isNull() && to.isKnown() && !to.isNull()) {
            return " (RocketMQ " + from.asString() + " to " + to.asString() + ")";
        }
        return "";
    }
}
