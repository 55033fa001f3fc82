package dev.tfrocketmq.process;

import dev.tfrocketmq.context.PlannedComponents;
import dev.tfrocketmq.context.ProviderContext;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A planned process as the run's {@link PlannedComponents} sees it: host, ports, directories, group. */
final class Placement {
    private static final ValuePath LISTEN_PORT = ValuePath.root().attribute("listen_port");
    private static final ValuePath INSTALL_DIR = ValuePath.root().attribute("install_dir");

    private Placement() {}

    /** The facts of {@code planned} that are known (unknown ones are left out, to be checked at apply). */
    static PlannedComponents.Component of(ProcessKind kind, Value planned, String token, boolean restarts) {
        String host = ProviderContext.hostLabel(planned);
        List<PlannedComponents.Port> ports = new ArrayList<>();
        Value port = planned.attribute("listen_port");
        if (port.isKnown() && !port.isNull() && planned.attribute("properties").isWhollyKnown()) {
            for (ProcessKind.Port p : kind.endpoints().ports(planned)) {
                ports.add(new PlannedComponents.Port(p.number(), p.purpose(), LISTEN_PORT));
            }
        }
        List<PlannedComponents.Directory> directories = new ArrayList<>();
        Value home = planned.attribute("home_dir");
        if (home.isKnown() && !home.isNull()) {
            directories.add(new PlannedComponents.Directory(home.asString(), INSTALL_DIR));
        }
        for (Map.Entry<String, ValuePath> dir :
                kind.dataDirectories().attributes(planned).entrySet()) {
            directories.add(new PlannedComponents.Directory(dir.getKey(), dir.getValue()));
        }
        return new PlannedComponents.Component(
                token,
                kind.membership().describe(planned),
                host,
                ports,
                directories,
                kind.membership().group(planned),
                restarts);
    }
}
