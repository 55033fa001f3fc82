package dev.tfrocketmq.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tfrocketmq.admin.AdminClients;
import dev.tfrocketmq.context.PlannedComponents;
import dev.tfrocketmq.framework.resource.Cancellation;
import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.schema.Schema;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.runtime.InstalledDistribution;
import dev.tfrocketmq.runtime.RocketMqVersion;
import dev.tfrocketmq.runtime.StopMarkers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class ProcessKindTest {
    private static final Schema SCHEMA = schema();

    private static Schema schema() {
        List<Attribute> attributes = new ArrayList<>(ProcessSchema.common("demo", "demo.conf", "64m", "directory"));
        attributes.add(
                Attribute.number("listen_port").defaultValue(Value.number(7000)).build());
        return Schema.of(new Block(attributes, List.of(), "", false));
    }

    static ProcessKind kind(List<String> own, Map<String, String> attributeKeys) {
        return new ProcessKind(
                "demo",
                "rocketmq_demo",
                SCHEMA,
                KnownKeys::nameServer,
                new ProcessKind.JvmMain("org.example.Main", "demo.conf", "demo"),
                Duration.ofSeconds(5),
                own,
                new ProcessKind.ConfigFile() {
                    @Override
                    public Map<String, String> entries(Value planned) {
                        return Map.of();
                    }

                    @Override
                    public Map<String, String> attributeKeys() {
                        return attributeKeys;
                    }
                },
                new ProcessKind.Endpoints() {
                    @Override
                    public List<ProcessKind.Port> ports(Value planned) {
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
                ProcessKind.DataDirectories.NONE,
                new ProcessKind.LiveConfig() {
                    @Override
                    public Map<String, String> read(AdminClients admin, Value state, String address) {
                        return Map.of();
                    }

                    @Override
                    public void write(AdminClients admin, Value state, String address, Map<String, String> updates) {}
                },
                new ProcessKind.Membership() {
                    @Override
                    public Optional<PlannedComponents.Group> group(Value planned) {
                        return Optional.empty();
                    }

                    @Override
                    public String describe(Value planned) {
                        return "demo";
                    }
                },
                new ProcessKind.Stopping() {
                    @Override
                    public ProcessKind.Restart beforeStop(StartedProcess process, Cancellation cancellation) {
                        return ProcessKind.Restart.NOTHING;
                    }

                    @Override
                    public StopMarkers markers(Value state) {
                        return StopMarkers.NONE;
                    }
                });
    }

    private static ProcessKind kind(List<String> own) {
        return kind(own, Map.of("listen_port", "listenPort"));
    }

    @Test
    void theSharedRestartAttributesComeFirstAndAreNotRepeated() {
        assertThat(kind(List.of("listen_port", "jvm_heap")).restartAttributes())
                .containsExactly("distribution_sha256", "java_home", "jvm_heap", "jvm_options", "listen_port");
    }

    @Test
    void propertiesAreNotARestartAttribute_theirKeysAreDecidedOneByOne() {
        assertThat(kind(List.of()).restartAttributes()).doesNotContain("properties");
    }

    @Test
    void aRestartAttributeTheSchemaLacksIsRefused() {
        assertThatThrownBy(() -> kind(List.of("no_such_attribute")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no_such_attribute");
    }

    @Test
    void aRenderedAttributeTheSchemaLacksIsRefused() {
        assertThatThrownBy(() -> kind(List.of(), Map.of("no_such_attribute", "someKey")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no_such_attribute");
    }

    @Test
    void theExamplePortIsTheSchemasDefault() {
        assertThat(kind(List.of()).defaultPort()).isEqualTo("7000");
    }

    private static Value planned() {
        Map<String, Value> attrs = new HashMap<>();
        SCHEMA.block().type().attributeTypes().forEach((name, type) -> attrs.put(name, Value.nullOf(type)));
        attrs.put("jvm_heap", Value.string("64m"));
        attrs.put("jvm_options", Value.list(TfType.STRING, List.of(Value.string("-XX:+UseG1GC"))));
        return Value.object(SCHEMA.block().type(), attrs);
    }

    private static List<String> command(Optional<RocketMqVersion> version) {
        return JvmCommand.of(
                "/usr/bin/java",
                planned(),
                "/opt/demo-7000",
                new InstalledDistribution("/opt/dist/abc", "/opt/dist/abc/rocketmq", "abc"),
                kind(List.of()).main(),
                version);
    }

    @Test
    void theJvmGetsItsHeapOptionsOwnHomeAndTheKindsMainAndConfigFile() {
        assertThat(command(RocketMqVersion.parse("5.3.3")))
                .startsWith("/usr/bin/java", "-Xms64m", "-Xmx64m")
                .contains(
                        "-XX:+UseG1GC",
                        "-Duser.home=/opt/demo-7000/home",
                        "-Drocketmq.home.dir=/opt/dist/abc/rocketmq",
                        "-Drmq.logback.configurationFile=rmq.demo.logback.xml")
                .containsSubsequence(
                        "-cp", "/opt/dist/abc/rocketmq/lib/*", "org.example.Main", "-c", "/opt/demo-7000/run/demo.conf")
                .endsWith("/opt/demo-7000/run/demo.conf");
    }

    @Test
    void rocketMq5_needsNoModuleOpeningsAndNoLogbackFileFromItsHome() {
        assertThat(command(RocketMqVersion.parse("5.5.0")))
                .noneMatch(arg -> arg.startsWith("--add-opens"))
                .noneMatch(arg -> arg.startsWith("-Dlogback.configurationFile"));
    }

    @Test
    void rocketMq4_opensJavaBaseForItsMemoryMapsAndReadsItsOwnLogbackConfig() {
        assertThat(command(RocketMqVersion.parse("4.9.7")))
                .contains(
                        "--add-opens=java.base/java.nio=ALL-UNNAMED",
                        "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
                        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                        "-Dlogback.configurationFile=/opt/dist/abc/rocketmq/conf/logback_demo.xml")
                .noneMatch(arg -> arg.startsWith("-Drmq.logback"));
    }

    @Test
    void anArchiveWithoutAVersionGetsTheFlagsOfBothGenerations() {
        assertThat(command(Optional.empty()))
                .contains(
                        "--add-opens=java.base/java.nio=ALL-UNNAMED",
                        "-Dlogback.configurationFile=/opt/dist/abc/rocketmq/conf/logback_demo.xml",
                        "-Drmq.logback.configurationFile=rmq.demo.logback.xml");
    }

    @Test
    void rocketMqsTlsTestCertificateIsNotMadeAtEveryStart_unlessTheOptionsConfigureTls() {
        assertThat(command(RocketMqVersion.parse("5.3.3"))).contains("-Dtls.server.mode=disabled");
        Value withTls = planned()
                .withAttribute(
                        "jvm_options", Value.list(TfType.STRING, List.of(Value.string("-Dtls.server.mode=enforcing"))));
        List<String> command = JvmCommand.of(
                "/usr/bin/java",
                withTls,
                "/opt/demo-7000",
                new InstalledDistribution("/opt/dist/abc", "/opt/dist/abc/rocketmq", "abc"),
                kind(List.of()).main(),
                RocketMqVersion.parse("5.3.3"));
        assertThat(command).contains("-Dtls.server.mode=enforcing").doesNotContain("-Dtls.server.mode=disabled");
    }
}
