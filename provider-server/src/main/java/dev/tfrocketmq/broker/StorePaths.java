package dev.tfrocketmq.broker;

import dev.tfrocketmq.framework.resource.PlanResponse;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import dev.tfrocketmq.process.ProcessKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The message store: {@code store_path_root_dir} defaults to {@code <home_dir>/store} and
 * {@code store_path_commit_log} to {@code <store_path_root_dir>/commitlog}; both are data, deleted only with
 * {@code delete_data_on_destroy}.
 */
final class StorePaths implements ProcessKind.PlanDefaults, ProcessKind.DataDirectories {
    @Override
    public void fill(Value config, PlanResponse response, String hostAddress) {
        Value home = response.attribute("home_dir");
        if (config.attribute("store_path_root_dir").isNull() && home.isKnown() && !home.isNull()) {
            response.setAttribute("store_path_root_dir", Value.string(home.asString() + "/store"));
        }
        Value root = response.attribute("store_path_root_dir");
        if (config.attribute("store_path_commit_log").isNull() && root.isKnown() && !root.isNull()) {
            response.setAttribute("store_path_commit_log", Value.string(root.asString() + "/commitlog"));
        }
    }

    private static final List<String> ATTRIBUTES = List.of("store_path_commit_log", "store_path_root_dir");

    @Override
    public List<String> attributes() {
        return ATTRIBUTES;
    }

    @Override
    public Map<String, ValuePath> attributes(Value state) {
        Map<String, ValuePath> dirs = new LinkedHashMap<>();
        for (String name : List.of("store_path_root_dir", "store_path_commit_log")) {
            Value v = state.attribute(name);
            if (v.isKnown() && !v.isNull()) {
                dirs.putIfAbsent(v.asString(), ValuePath.root().attribute(name));
            }
        }
        return dirs;
    }

    @Override
    public List<String> of(Value state) {
        List<String> dirs = new ArrayList<>();
        for (String name : ATTRIBUTES) {
            Value v = state.attribute(name);
            if (!v.isNull()) {
                dirs.add(v.asString());
            }
        }
        return dirs;
    }
}
