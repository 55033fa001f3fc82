package dev.tfrocketmq.group;

import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.schema.Validator;
import dev.tfrocketmq.framework.schema.Validators;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import java.util.regex.Pattern;
import org.apache.rocketmq.common.MixAll;

/** RocketMQ's rules for consumer group names, and the groups the broker keeps for itself. */
final class GroupNames {
    static final String RULE = "a RocketMQ group name: letters, digits, %, |, _ and - only, at most 255 characters";
    private static final String PATTERN = "[%|a-zA-Z0-9_-]{1,255}";
    static final Validator GROUP = Validators.matches(PATTERN, RULE);
    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private GroupNames() {}

    static boolean isValid(String name) {
        return COMPILED.matcher(name).matches();
    }

    /** A system or predefined group (the broker manages those itself) is refused at validate time. */
    static void checkNotSystem(Value name, Diagnostics diagnostics) {
        if (!name.isKnown() || name.isNull()) {
            return;
        }
        String n = name.asString();
        if (MixAll.isSysConsumerGroup(n) || MixAll.isPredefinedGroup(n)) {
            diagnostics.attributeError(
                    ValuePath.root().attribute("name"),
                    "System consumer group",
                    n + " is a group RocketMQ manages itself. Choose another name.");
        }
    }
}
