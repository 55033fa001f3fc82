package dev.tfrocketmq.process;

import dev.tfrocketmq.framework.resource.PlanResponse;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import dev.tfrocketmq.host.UserEnvironment;
import dev.tfrocketmq.runtime.DistributionException;
import dev.tfrocketmq.runtime.DistributionLocation;
import dev.tfrocketmq.runtime.DistributionVersion;
import dev.tfrocketmq.runtime.RocketMqVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Refuses at plan a distribution older than what the plan needs (a 4.x archive for a proxy or for authentication),
 * read from the archive's jar names. Only a local archive is read; a URL is checked when RocketMQ reports its
 * version.
 */
final class DistributionCheck {
    private DistributionCheck() {}

    static void require(
            ProcessKind.VersionRequirement.Requirement requirement,
            String typeName,
            PlanResponse response,
            UserEnvironment environment) {
        Value distribution = response.attribute("distribution");
        if (!distribution.isKnown() || distribution.isNull()) {
            return;
        }
        Optional<RocketMqVersion> version;
        try {
            Optional<Path> local = DistributionLocation.parse(distribution.asString(), environment)
                    .localFile();
            if (local.isEmpty() || !Files.isRegularFile(local.get())) {
                return;
            }
            version = DistributionVersion.detect(local.get());
        } catch (DistributionException e) {
            return; // ArchiveDigest reports an unreadable archive
        }
        if (version.isPresent() && version.get().compareTo(requirement.minimum()) < 0) {
            String what = requirement.attribute() == null ? typeName : requirement.attribute() + " on " + typeName;
            response.diagnostics()
                    .attributeError(
                            ValuePath.root()
                                    .attribute(
                                            requirement.attribute() == null ? "distribution" : requirement.attribute()),
                            (requirement.attribute() == null ? typeName : requirement.attribute()) + " needs RocketMQ "
                                    + requirement.minimum() + " or newer",
                            what + " needs RocketMQ " + requirement.minimum() + " or newer for "
                                    + requirement.feature() + ", but the distribution " + distribution.asString()
                                    + " holds RocketMQ " + version.get() + ". Use a "
                                    + requirement.minimum().major()
                                    + "." + requirement.minimum().minor() + "+ release archive"
                                    + (requirement.attribute() == null
                                            ? "."
                                            : ", or remove " + requirement.attribute() + "."));
        }
    }
}
