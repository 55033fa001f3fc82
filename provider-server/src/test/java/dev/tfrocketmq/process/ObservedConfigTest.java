package dev.tfrocketmq.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

final class ObservedConfigTest {
    private static final Block BLOCK = new Block(
            List.of(
                    Attribute.string("broker_name").required().requiresReplace().build(),
                    Attribute.number("listen_port").optional().requiresReplace().build(),
                    Attribute.of("name_servers", TfType.list(TfType.STRING))
                            .required()
                            .build(),
                    Attribute.string("delete_when").optional().build(),
                    Attribute.number("file_reserved_time").optional().build(),
                    Attribute.bool("auto_create_topic_enable").optional().build(),
                    Attribute.of("properties", TfType.map(TfType.STRING))
                            .optional()
                            .build()),
            List.of(),
            "",
            false);
    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("broker_name", "brokerName");
        KEYS.put("listen_port", "listenPort");
        KEYS.put("name_servers", "namesrvAddr");
        KEYS.put("delete_when", "deleteWhen");
        KEYS.put("file_reserved_time", "fileReservedTime");
        KEYS.put("auto_create_topic_enable", "autoCreateTopicEnable");
    }

    private static Value state() {
        Map<String, Value> attrs = new HashMap<>();
        attrs.put("broker_name", Value.string("broker-a"));
        attrs.put("listen_port", Value.number(10911));
        attrs.put("name_servers", Value.list(TfType.STRING, List.of(Value.string("h1:9876"), Value.string("h2:9876"))));
        attrs.put("delete_when", Value.string("04"));
        attrs.put("file_reserved_time", Value.number(48));
        attrs.put("auto_create_topic_enable", Value.nullOf(TfType.BOOL));
        attrs.put("properties", Value.map(TfType.STRING, Map.of("maxMessageSize", Value.string("4194304"))));
        return Value.object(BLOCK.type(), attrs);
    }

    private static Map<String, String> rendered() {
        Map<String, String> r = new TreeMap<>();
        r.put("brokerName", "broker-a");
        r.put("listenPort", "10911");
        r.put("namesrvAddr", "h1:9876;h2:9876");
        r.put("deleteWhen", "04");
        r.put("fileReservedTime", "48");
        r.put("maxMessageSize", "4194304");
        return r;
    }

    private static Value observe(Map<String, String> found) {
        return ObservedConfig.reflect(state(), rendered(), found, KEYS, BLOCK);
    }

    private static Map<String, String> found(String key, String value) {
        Map<String, String> f = rendered();
        if (value == null) {
            f.remove(key);
        } else {
            f.put(key, value);
        }
        return f;
    }

    @Test
    void whatIsFoundAsRenderedLeavesTheStateAsItWas() {
        assertThat(observe(rendered())).isEqualTo(state());
    }

    @Test
    void textThatMeansTheSameIsNoDrift() {
        assertThat(observe(found("fileReservedTime", "048"))).isEqualTo(state());
    }

    @Test
    void anEditedKeyOfATypedAttributeShowsInThatAttribute() {
        assertThat(observe(found("deleteWhen", "05")).attribute("delete_when")).isEqualTo(Value.string("05"));
        assertThat(observe(found("fileReservedTime", "72")).attribute("file_reserved_time"))
                .isEqualTo(Value.number(72));
        assertThat(observe(found("namesrvAddr", "h1:9876")).attribute("name_servers"))
                .isEqualTo(Value.list(TfType.STRING, List.of(Value.string("h1:9876"))));
    }

    @Test
    void aKeyRemovedFromTheFileLeavesItsOptionalAttributeNull() {
        assertThat(observe(found("deleteWhen", null)).attribute("delete_when")).isEqualTo(Value.nullOf(TfType.STRING));
    }

    @Test
    void aKeyAddedByHandShowsUnderProperties() {
        Value state = observe(found("autoCreateTopicEnable", "false"));
        assertThat(state.attribute("auto_create_topic_enable")).isEqualTo(Value.bool(false));
        Value extra = observe(found("flushIntervalCommitLog", "1000"));
        assertThat(extra.attribute("properties").entries())
                .containsEntry("flushIntervalCommitLog", Value.string("1000"))
                .containsEntry("maxMessageSize", Value.string("4194304"));
    }

    @Test
    void aDeclaredPropertyRemovedFromTheFileLeavesProperties() {
        assertThat(observe(found("maxMessageSize", null)).attribute("properties"))
                .isEqualTo(Value.nullOf(TfType.map(TfType.STRING)));
    }

    @Test
    void driftOfAnAttributeThatWouldForceAReplacementShowsUnderPropertiesInstead() {
        Value state = observe(found("brokerName", "broker-x"));
        assertThat(state.attribute("broker_name")).isEqualTo(Value.string("broker-a"));
        assertThat(state.attribute("properties").entries()).containsEntry("brokerName", Value.string("broker-x"));
        Value removed = observe(found("listenPort", null));
        assertThat(removed.attribute("listen_port")).isEqualTo(Value.number(10911));
        assertThat(removed.attribute("properties").entries()).containsEntry("listenPort", Value.string(""));
    }

    @Test
    void aValueItsAttributeCannotHoldShowsUnderProperties() {
        Value state = observe(found("fileReservedTime", "two days"));
        assertThat(state.attribute("file_reserved_time")).isEqualTo(Value.number(48));
        assertThat(state.attribute("properties").entries()).containsEntry("fileReservedTime", Value.string("two days"));
    }

    @Test
    void aRequiredAttributeMissingFromTheFileShowsUnderProperties() {
        Value state = observe(found("namesrvAddr", null));
        assertThat(state.attribute("name_servers")).isEqualTo(state().attribute("name_servers"));
        assertThat(state.attribute("properties").entries()).containsEntry("namesrvAddr", Value.string(""));
    }
}
