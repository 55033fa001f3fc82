package dev.tfrocketmq.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComponentSpecTest {

    private static final String DIR = "/opt/rocketmq/broker-10911";
    private static final List<String> COMMAND =
            List.of("/usr/bin/java", "-Duser.home=" + DIR + "/home", "BrokerStartup");

    @Test
    void theCommandMustMentionTheComponentDirectory() {
        assertThatThrownBy(() -> new ComponentSpec(DIR, Map.of(), List.of("sleep", "600"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must mention the component directory");
        assertThatThrownBy(() ->
                        new ComponentSpec(DIR, Map.of(), List.of("java", "-Duser.home=" + DIR + "1/home"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSiblingDirectoryWithALongerNameIsNotMistakenForTheComponent() {
        assertThat(ComponentSpec.mentionsDir("java\n-c\n" + DIR + "/run/broker.conf\n", DIR))
                .isTrue();
        assertThat(ComponentSpec.mentionsDir("java\n-Duser.home=" + DIR, DIR)).isTrue();
        assertThat(ComponentSpec.mentionsDir("java\n-c\n" + DIR + "0/run/broker.conf", DIR))
                .isFalse();
    }

    @Test
    void pathsMustBeAbsoluteNormalizedAndDeepEnough() {
        for (String bad : List.of("opt/x", "/opt", "/", "/opt/../x", "/opt//x", "/opt/./x")) {
            assertThatThrownBy(() -> new ComponentSpec(bad, Map.of(), List.of(bad), Map.of()))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(new ComponentSpec(DIR + "/", Map.of(), COMMAND, Map.of()).dir())
                .isEqualTo(DIR);
    }

    @Test
    void configFileNamesAndVariableNamesAreChecked() {
        assertThatThrownBy(() -> new ComponentSpec(DIR, Map.of("../x", new byte[0]), COMMAND, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ComponentSpec(DIR, Map.of(), COMMAND, Map.of("A-B", "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void specsWithEqualContentAreEqualAndRenderTheSameLaunchScript() {
        Map<String, String> env1 = new LinkedHashMap<>();
        env1.put("B", "2");
        env1.put("A", "1 2");
        Map<String, String> env2 = new LinkedHashMap<>();
        env2.put("A", "1 2");
        env2.put("B", "2");
        ComponentSpec one = new ComponentSpec(DIR, Map.of("broker.conf", "x".getBytes(UTF_8)), COMMAND, env1);
        ComponentSpec two = new ComponentSpec(DIR, Map.of("broker.conf", "x".getBytes(UTF_8)), COMMAND, env2);

        assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
        assertThat(LaunchScript.render(one)).isEqualTo(LaunchScript.render(two));
        assertThat(new String(LaunchScript.render(one), UTF_8))
                .contains("export A='1 2'\nexport B=2\n")
                .contains("cd " + DIR + " ")
                .endsWith("exec /usr/bin/java -Duser.home=" + DIR + "/home BrokerStartup\n");
    }

    @Test
    void toStringShowsNoEnvironmentValues() {
        ComponentSpec spec = new ComponentSpec(DIR, Map.of(), COMMAND, Map.of("SECRET", "hunter2"));

        assertThat(spec.toString()).contains("SECRET").doesNotContain("hunter2");
    }
}
