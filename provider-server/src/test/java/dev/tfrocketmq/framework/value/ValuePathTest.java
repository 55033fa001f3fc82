package dev.tfrocketmq.framework.value;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValuePathTest {

    @Test
    void attributeKeyAndIndexStepsRenderLikeTerraform() {
        ValuePath path = ValuePath.root()
                .attribute("broker")
                .attribute("properties")
                .key("a")
                .index(2);
        assertThat(path).hasToString("broker.properties[\"a\"][2]");
    }

    @Test
    void aSingleAttributeRendersAsItsName() {
        assertThat(ValuePath.root().attribute("name")).hasToString("name");
    }

    @Test
    void theRootRendersAsEmptyText() {
        assertThat(ValuePath.root()).hasToString("");
        assertThat(ValuePath.root().isRoot()).isTrue();
    }

    @Test
    void mapKeysAreQuotedAndEscaped() {
        assertThat(ValuePath.root().key("a\"b\\c\n")).hasToString("[\"a\\\"b\\\\c\\n\"]");
    }

    @Test
    void stepsAreExposedInOrder() {
        ValuePath path = ValuePath.root().attribute("x").key("k").index(0);
        assertThat(path.steps())
                .containsExactly(
                        new ValuePath.AttributeStep("x"), new ValuePath.KeyStep("k"), new ValuePath.IndexStep(0));
    }

    @Test
    void pathsAreImmutableAndCompareByValue() {
        ValuePath base = ValuePath.root().attribute("a");
        ValuePath extended = base.index(1);
        assertThat(base.steps()).hasSize(1);
        assertThat(extended).isEqualTo(ValuePath.root().attribute("a").index(1));
        assertThat(extended.hashCode())
                .isEqualTo(ValuePath.root().attribute("a").index(1).hashCode());
        assertThat(extended.parent()).isEqualTo(base);
        assertThat(ValuePath.root().parent()).isEqualTo(ValuePath.root());
    }
}
