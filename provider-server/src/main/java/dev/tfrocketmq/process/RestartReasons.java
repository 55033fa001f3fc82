package dev.tfrocketmq.process;

import dev.tfrocketmq.framework.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Why a running process of a kind restarts, or takes a change live: at plan against what it was last known to run
 * with, and again at apply against what it reports then.
 */
final class RestartReasons {
    private final ProcessKind kind;

    RestartReasons(ProcessKind kind) {
        this.kind = kind;
    }

    /**
     * Why the plan restarts a running process, or empty while that cannot be told (values unknown until apply,
     * which then decides).
     */
    Optional<PlannedRestart> atPlan(Value prior, Value planned, AppliedConfig applied) {
        List<String> attributes = new ArrayList<>();
        for (String name : kind.restartAttributes()) {
            Value now = planned.attribute(name);
            if (!now.isWhollyKnown()) {
                return Optional.empty();
            }
            if (!Objects.equals(prior.attribute(name), now)) {
                attributes.add(name);
            }
        }
        if (!configKnown(planned)) {
            return Optional.empty();
        }
        ConfigChange change = ConfigChange.between(
                runningValues(prior, applied),
                kind.config().entries(planned),
                keyLists(prior.attribute(PlannedVersion.ATTRIBUTE)),
                KeyCheck.unchecked(planned));
        return Optional.of(new PlannedRestart(attributes, change.restartKeys()));
    }

    /** Whether every attribute that reaches the config file is known. */
    private boolean configKnown(Value planned) {
        if (!planned.attribute("properties").isWhollyKnown()) {
            return false;
        }
        return kind.config().attributeKeys().keySet().stream()
                .allMatch(a -> planned.attribute(a).isWhollyKnown());
    }

    /** The values the process runs with: as last read, else as last applied, else as the prior state renders. */
    Map<String, String> runningValues(Value prior, AppliedConfig applied) {
        if (!applied.running().isEmpty()) {
            return applied.running();
        }
        if (!applied.applied().isEmpty()) {
            return applied.applied();
        }
        return kind.config().entries(prior);
    }

    private Optional<KnownKeys> keyLists(Value version) {
        return version.isKnown() && !version.isNull() ? kind.keyLists().of(version.asString()) : Optional.empty();
    }

    /**
     * What it takes now, at apply, to bring the running process to {@code desired}: against the values it was last
     * known to run with, updated with what it reports ({@code reported}, empty when it did not answer).
     */
    ConfigChange atApply(
            Value planned,
            Value prior,
            AppliedConfig applied,
            Map<String, String> desired,
            Optional<Map<String, String>> reported) {
        Map<String, String> running = new TreeMap<>(runningValues(prior, applied));
        for (String name : kind.restartAttributes()) {
            if (!Objects.equals(prior.attribute(name), planned.attribute(name))) {
                return new ConfigChange(new TreeMap<>(), List.of(name));
            }
        }
        reported.ifPresent(live -> {
            List<String> keys = new ArrayList<>(running.keySet());
            keys.addAll(desired.keySet());
            for (String key : keys) {
                if (live.containsKey(key)) {
                    running.put(key, live.get(key));
                }
            }
        });
        return ConfigChange.between(
                running, desired, keyLists(prior.attribute(PlannedVersion.ATTRIBUTE)), KeyCheck.unchecked(planned));
    }
}
