package dev.tfrocketmq.runtime;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A RocketMQ release version as its jars name it: {@code 5.3.3}, {@code 4.9.7}, {@code 4.1.0-incubating}.
 *
 * @param qualifier what follows the three numbers after a {@code -} ({@code incubating}, {@code SNAPSHOT}), or empty
 */
public record RocketMqVersion(int major, int minor, int patch, String qualifier)
        implements Comparable<RocketMqVersion> {

    private static final Pattern TEXT =
            Pattern.compile("(\\d{1,4})\\.(\\d{1,4})\\.(\\d{1,4})(?:-([0-9A-Za-z][0-9A-Za-z.]*))?");
    private static final Comparator<RocketMqVersion> ORDER = Comparator.comparingInt(RocketMqVersion::major)
            .thenComparingInt(RocketMqVersion::minor)
            .thenComparingInt(RocketMqVersion::patch)
            // a release sorts after its pre-releases and qualified builds
            .thenComparing(v -> v.qualifier().isEmpty())
            .thenComparing(RocketMqVersion::qualifier);

    public RocketMqVersion {
        requireNonNull(qualifier, "qualifier");
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version numbers are not negative");
        }
    }

    /** The version {@code text} names, or empty when it is not of the form {@code 5.3.3} / {@code 5.3.3-qualifier}. */
    public static Optional<RocketMqVersion> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = TEXT.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new RocketMqVersion(
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)),
                m.group(4) == null ? "" : m.group(4)));
    }

    @Override
    public int compareTo(RocketMqVersion other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (qualifier.isEmpty() ? "" : "-" + qualifier);
    }
}
