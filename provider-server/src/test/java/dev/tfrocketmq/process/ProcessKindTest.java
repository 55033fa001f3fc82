package dev.tfrocketmq.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.runtime.InstalledDistribution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ProcessKindTest {
    private static final Schema SCHEMA = schema();

    private static Schema schema() {
        List<Attribute> attributes = new ArrayList<>(ProcessSchema.common("demo", "demo.conf", "64m", "directory"));
        attributes.add(
                Attribute.number("listen_port").defaultValue(Value.number(7000)).build());
        return Schema.of(new Block(attributes, List.of(), "", false));
    }

    private static ProcessKind kind(List<String> own) {
        return new ProcessKind(
                "demo",
                "rocketmq_demo",
                SCHEMA,
                KnownKeys.NAMESERVER,
                new ProcessKind.JvmMain("org.example.Main", "demo.conf", "demo.logback.xml"),
                Duration.ofSeconds(5),
                own,
                planned -> Map.of(),
                new ProcessKind.Endpoints() {
                    @Override
                    public List<Integer> ports(Value planned) {
                        return List.of();
                    }

                    @Override
                    public String address(Value planned, String hostAddress) {
                        return null;
                    }
                },
                (process, cancellation) -> {},
                List.of(),
                List.of(),
                ProcessKind.DataDirectories.NONE);
    }

    @Test
    void theSharedRestartAttributesComeFirstAndAreNotRepeated() {
        assertThat(kind(List.of("listen_port", "jvm_heap")).restartAttributes())
                .containsExactly(
                        "distribution_sha256", "java_home", "jvm_heap", "jvm_options", "properties", "listen_port");
    }

    @Test
    void aRestartAttributeTheSchemaLacksIsRefused() {
        assertThatThrownBy(() -> kind(List.of("no_such_attribute")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no_such_attribute");
    }

    @Test
    void theExamplePortIsTheSchemasDefault() {
        assertThat(kind(List.of()).defaultPort()).isEqualTo("7000");
    }

    @Test
    void theJvmGetsItsHeapOptionsOwnHomeAndTheKindsMainAndConfigFile() {
        Map<String, Value> attrs = new HashMap<>();
        SCHEMA.block().type().attributeTypes().forEach((name, type) -> attrs.put(name, Value.nullOf(type)));
        attrs.put("jvm_heap", Value.string("64m"));
        attrs.put("jvm_options", Value.list(TfType.STRING, List.of(Value.string("-XX:+UseG1GC"))));
        Value planned = Value.object(SCHEMA.block().type(), attrs);

        List<String> command = JvmCommand.of(
                "/usr/bin/java",
                planned,
                "/opt/demo-7000",
                new InstalledDistribution("/opt/dist/abc", "/opt/dist/abc/rocketmq", "abc"),
                kind(List.of()).main());

        assertThat(command)
                .startsWith("/usr/bin/java", "-Xms64m", "-Xmx64m")
                .contains(
                        "-XX:+UseG1GC",
                        "-Duser.home=/opt/demo-7000/home",
                        "-Drocketmq.home.dir=/opt/dist/abc/rocketmq",
                        "-Drmq.logback.configurationFile=demo.logback.xml")
                .containsSubsequence(
                        "-cp", "/opt/dist/abc/rocketmq/lib/*", "org.example.Main", "-c", "/opt/demo-7000/run/demo.conf")
                .endsWith("/opt/demo-7000/run/demo.conf");
    }
}
