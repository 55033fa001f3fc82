package dev.tfrocketmq.process;

import dev.tfrocketmq.framework.resource.PlanResponse;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import dev.tfrocketmq.host.UserEnvironment;
import dev.tfrocketmq.runtime.DistributionException;
import dev.tfrocketmq.runtime.DistributionLocation;
import dev.tfrocketmq.runtime.DistributionSource;
import dev.tfrocketmq.runtime.DistributionVersion;
import dev.tfrocketmq.runtime.RocketMqVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Plans {@code rocketmq_version}: the version of the planned distribution, read from the archive on the machine
 * running Terraform (a local file, or a download already in the cache); unknown until apply when the archive is not
 * there yet. The same archive keeps the version its state has.
 */
final class PlannedVersion {
    static final String ATTRIBUTE = "rocketmq_version";
    private static final ValuePath DISTRIBUTION = ValuePath.root().attribute("distribution");

    private PlannedVersion() {}

    static void plan(Value prior, PlanResponse response, UserEnvironment environment, Path downloadCache) {
        Value sha = response.attribute("distribution_sha256");
        if (prior != null
                && sha.isKnown()
                && Objects.equals(prior.attribute("distribution_sha256"), sha)
                && prior.attribute(ATTRIBUTE).isKnown()
                && !prior.attribute(ATTRIBUTE).isNull()) {
            response.setAttribute(ATTRIBUTE, prior.attribute(ATTRIBUTE));
            return;
        }
        Optional<Path> archive = archive(response.planned(), environment, downloadCache);
        if (archive.isEmpty()) {
            response.setAttribute(ATTRIBUTE, Value.unknown(TfType.STRING));
            return;
        }
        try {
            Optional<RocketMqVersion> version = DistributionVersion.of(archive.get());
            if (version.isPresent()) {
                response.setAttribute(ATTRIBUTE, Value.string(version.get().toString()));
            } else {
                response.setAttribute(ATTRIBUTE, Value.nullOf(TfType.STRING));
                response.diagnostics()
                        .attributeWarning(
                                DISTRIBUTION,
                                "Cannot tell the RocketMQ version of the distribution",
                                archive.get() + " holds no lib/rocketmq-broker-<version>.jar or "
                                        + "lib/rocketmq-namesrv-<version>.jar with a release number. Its properties "
                                        + "are passed on unchecked, the JVM gets the flags of both 4.x and 5.x, and "
                                        + "every config change restarts the process.");
            }
        } catch (DistributionException e) {
            response.diagnostics()
                    .attributeError(
                            DISTRIBUTION,
                            "Cannot read the distribution archive",
                            e.getMessage() + ". Point distribution at a RocketMQ binary release archive.");
        }
    }

    /** The version apply uses: the planned one, else the archive's (it is on this machine by now). */
    static Optional<RocketMqVersion> atApply(Value planned, Path archive) {
        Value v = planned.attribute(ATTRIBUTE);
        if (v.isKnown()) {
            return v.isNull() ? Optional.empty() : RocketMqVersion.parse(v.asString());
        }
        return DistributionVersion.of(archive);
    }

    /** The archive on this machine, if it is here already. */
    private static Optional<Path> archive(Value planned, UserEnvironment environment, Path downloadCache) {
        Value distribution = planned.attribute("distribution");
        if (!distribution.isKnown() || distribution.isNull()) {
            return Optional.empty();
        }
        DistributionLocation location;
        try {
            location = DistributionLocation.parse(distribution.asString(), environment);
        } catch (DistributionException e) {
            return Optional.empty(); // ArchiveDigest names the problem
        }
        Optional<Path> local = location.localFile();
        if (local.isPresent()) {
            return Files.isRegularFile(local.get()) ? local : Optional.empty();
        }
        Value sha = planned.attribute("distribution_sha256");
        return sha.isKnown() && !sha.isNull()
                ? DistributionSource.cached(sha.asString(), downloadCache)
                : Optional.empty();
    }
}
