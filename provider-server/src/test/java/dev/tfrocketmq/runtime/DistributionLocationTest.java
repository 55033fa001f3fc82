package dev.tfrocketmq.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tfrocketmq.host.UserEnvironment;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class DistributionLocationTest {
    private static final UserEnvironment ENV =
            new UserEnvironment(Path.of("/home/alice"), Path.of("/work/cluster"), Map.of());

    private static DistributionLocation parse(String text) {
        return DistributionLocation.parse(text, ENV);
    }

    @Test
    void aPathStartingWithTildeIsInTheUsersHomeNotTheJvms() {
        assertThat(parse("~/dist/rocketmq.zip").localFile()).contains(Path.of("/home/alice/dist/rocketmq.zip"));
        assertThat(parse("~").localFile()).contains(Path.of("/home/alice"));
    }

    @Test
    void aRelativePathStartsInTheUsersWorkingDirectory() {
        assertThat(parse("rocketmq.zip").localFile()).contains(Path.of("/work/cluster/rocketmq.zip"));
        assertThat(parse("../dist/./rocketmq.zip").localFile()).contains(Path.of("/work/dist/rocketmq.zip"));
    }

    @Test
    void anAbsolutePathIsTakenAsItIs() {
        assertThat(parse("/opt/rocketmq.zip"))
                .isEqualTo(new DistributionLocation.LocalPath(Path.of("/opt/rocketmq.zip")));
    }

    @Test
    void fileUrlsWithOneOrThreeSlashesNameTheSameLocalFile() {
        DistributionLocation one = parse("file:/opt/rocketmq.zip");
        DistributionLocation three = parse("file:///opt/rocketmq.zip");

        assertThat(one).isInstanceOf(DistributionLocation.Url.class);
        assertThat(((DistributionLocation.Url) one).isFile()).isTrue();
        assertThat(one.localFile()).contains(Path.of("/opt/rocketmq.zip"));
        assertThat(three.localFile()).contains(Path.of("/opt/rocketmq.zip"));
        assertThat(parse("FILE:///opt/rocketmq.zip").localFile()).contains(Path.of("/opt/rocketmq.zip"));
    }

    @Test
    void httpUrlsHaveNoLocalFileAndHideTheirPassword() {
        DistributionLocation url = parse("https://user:secret@example.com/rocketmq.zip");

        assertThat(url.localFile()).isEmpty();
        assertThat(url.toString()).doesNotContain("secret").contains("example.com/rocketmq.zip");
    }

    @Test
    void anEmptyLocationOrAnInvalidUrlIsRejected() {
        assertThatThrownBy(() -> parse(" "))
                .isInstanceOf(DistributionException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> parse("http://exa mple.com/x.zip"))
                .isInstanceOf(DistributionException.class)
                .hasMessageContaining("is not valid");
    }

    @Test
    void aFileUrlWithAHostNamesNoLocalFile() {
        assertThatThrownBy(() -> parse("file://server/opt/rocketmq.zip").localFile())
                .isInstanceOf(DistributionException.class)
                .hasMessageContaining("does not name a local file");
    }
}
