package dev.tfrocketmq.process;

import dev.tfrocketmq.framework.resource.PlanResponse;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import dev.tfrocketmq.host.UserEnvironment;
import dev.tfrocketmq.runtime.DistributionException;
import dev.tfrocketmq.runtime.DistributionInstaller;
import dev.tfrocketmq.runtime.DistributionLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Plans {@code distribution_sha256} when the configuration leaves it out: the SHA-256 of the local archive, read the
 * way apply reads it ({@link DistributionLocation}); downloads must declare theirs.
 */
final class ArchiveDigest {
    private static final ValuePath DISTRIBUTION = ValuePath.root().attribute("distribution");
    private static final ValuePath SHA256 = ValuePath.root().attribute("distribution_sha256");

    private ArchiveDigest() {}

    static void plan(Value config, PlanResponse response, UserEnvironment environment) {
        Value distribution = response.attribute("distribution");
        if (!config.attribute("distribution_sha256").isNull() || !distribution.isKnown()) {
            return;
        }
        String text = distribution.asString();
        Optional<Path> local;
        DistributionLocation location;
        try {
            location = DistributionLocation.parse(text, environment);
            local = location.localFile();
        } catch (DistributionException e) {
            response.diagnostics()
                    .attributeError(
                            DISTRIBUTION,
                            "Invalid distribution",
                            e.getMessage() + ". Point distribution at a local path or a file://, http:// or https:// "
                                    + "URL of a RocketMQ binary release archive.");
            return;
        }
        if (local.isEmpty()) {
            response.diagnostics()
                    .attributeError(
                            SHA256,
                            "distribution_sha256 is required for URLs",
                            "The distribution " + location
                                    + " is downloaded, so its SHA-256 must be declared to verify it. "
                                    + "Set distribution_sha256 to the archive's published checksum.");
            return;
        }
        Path path = local.get();
        if (!Files.isRegularFile(path)) {
            response.diagnostics()
                    .attributeError(
                            DISTRIBUTION,
                            "Distribution archive not found",
                            "No file at " + path.toAbsolutePath()
                                    + " on the machine running Terraform. Point distribution at a "
                                    + "RocketMQ binary release archive (for example rocketmq-all-5.3.3-bin-release.zip).");
            return;
        }
        try {
            response.setAttribute("distribution_sha256", Value.string(DistributionInstaller.sha256(path)));
        } catch (DistributionException e) {
            response.diagnostics()
                    .attributeError(DISTRIBUTION, "Cannot read distribution archive", path + ": " + e.getMessage());
        }
    }
}
