package dev.tfrocketmq.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.framework.diag.Diagnostic;
import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.diag.Severity;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class KeyCheckTest {
    private static final ProcessKind KIND = ProcessKindTest.kind(List.of(), Map.of());

    private static Value planned(Map<String, String> properties, List<String> unchecked) {
        Map<String, Value> attrs = new HashMap<>();
        KIND.schema().block().type().attributeTypes().forEach((name, type) -> attrs.put(name, Value.nullOf(type)));
        Map<String, Value> props = new HashMap<>();
        properties.forEach((k, v) -> props.put(k, Value.string(v)));
        attrs.put("properties", Value.map(TfType.STRING, props));
        if (!unchecked.isEmpty()) {
            attrs.put(
                    "unchecked_keys",
                    Value.set(
                            TfType.STRING, unchecked.stream().map(Value::string).toList()));
        }
        return Value.object(KIND.schema().block().type(), attrs);
    }

    private static List<Diagnostic> check(String version, Map<String, String> properties, List<String> unchecked) {
        Diagnostics diagnostics = new Diagnostics();
        KeyCheck.check(KIND, version, planned(properties, unchecked), diagnostics);
        return diagnostics.all();
    }

    @Test
    void aKeyOfTheVersionPasses() {
        assertThat(check("4.9.7", Map.of("orderMessageEnable", "true"), List.of()))
                .isEmpty();
    }

    @Test
    void eachVersionIsCheckedAgainstItsOwnList() {
        // the name server's clientRequestThreadPoolNums came with 5.x
        assertThat(check("5.5.0", Map.of("clientRequestThreadPoolNums", "8"), List.of()))
                .isEmpty();
        List<Diagnostic> errors = check("4.9.7", Map.of("clientRequestThreadPoolNums", "8"), List.of());
        assertThat(errors).singleElement().satisfies(d -> {
            assertThat(d.severity()).isEqualTo(Severity.ERROR);
            assertThat(d.path())
                    .isEqualTo(ValuePath.root().attribute("properties").key("clientRequestThreadPoolNums"));
            assertThat(d.detail())
                    .contains("RocketMQ 4.9.7 has no demo setting named clientRequestThreadPoolNums", "unchecked_keys");
        });
    }

    @Test
    void aMisspelledKeyGetsASuggestion() {
        assertThat(check("5.3.3", Map.of("orderMessageEnabled", "true"), List.of()))
                .singleElement()
                .satisfies(d -> assertThat(d.detail()).contains("Did you mean orderMessageEnable?"));
    }

    @Test
    void uncheckedKeysPassWhateverTheList() {
        assertThat(check("5.5.0", Map.of("pluginSetting", "1"), List.of("pluginSetting")))
                .isEmpty();
    }

    @Test
    void aVersionWithoutListsIsAWarningAndNothingIsChecked() {
        assertThat(check("5.1.4", Map.of("anything", "1"), List.of()))
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.severity()).isEqualTo(Severity.WARNING);
                    assertThat(d.summary()).contains("RocketMQ 5.1.4");
                    assertThat(d.detail()).contains("4.9.7", "5.3.3", "5.5.0", "unchecked", "restarts");
                });
    }
}
