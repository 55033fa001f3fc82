package dev.tfrocketmq.admin;

import dev.tfrocketmq.runtime.RocketMqVersion;
import java.time.Duration;
import java.util.Optional;
import org.apache.rocketmq.tools.admin.MQAdminExt;

/** The RocketMQ version a running broker reports in its runtime statistics ("V5_3_3" is 5.3.3). */
public final class BrokerVersion {
    /** How long a broker that has just started may take to have statistics to report. */
    private static final Duration STATS_WARM_UP = Duration.ofSeconds(5);

    private BrokerVersion() {}

    /**
     * The version the broker at {@code address} reports, or empty when it reports none that parses. A broker that has
     * just started has no store statistics sampled yet (4.x then answers with its own NoSuchElementException for about
     * a second): it is asked again for a few seconds.
     *
     * @throws Exception the admin client's failure, when the broker does not answer
     */
    public static Optional<RocketMqVersion> of(MQAdminExt admin, String address) throws Exception {
        long deadline = System.nanoTime() + STATS_WARM_UP.toNanos();
        while (true) {
            try {
                String desc = admin.fetchBrokerRuntimeStats(address).getTable().get("brokerVersionDesc");
                return desc == null
                        ? Optional.empty()
                        : RocketMqVersion.parse(desc.replaceFirst("^V", "").replace('_', '.'));
            } catch (Exception e) {
                if (!String.valueOf(e.getMessage()).contains("NoSuchElementException")
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }
}
