package dev.tfrocketmq.acceptance.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

final class HclTest {
    @Test
    void string_keepsPlainTextAsIs() {
        assertThat(Hcl.string("/work/acc/rmq")).isEqualTo("\"/work/acc/rmq\"");
    }

    @Test
    void string_escapesQuotesBackslashesAndControlCharacters() {
        assertThat(Hcl.string("a\"b\\c\nd\te\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\"");
    }

    @Test
    void string_escapesTemplateSequencesButNotShellSubstitution() {
        assertThat(Hcl.string("${x} %{if} $(touch y) `z` $HOME 50%"))
                .isEqualTo("\"$${x} %%{if} $(touch y) `z` $HOME 50%\"");
    }

    @Test
    void listAndMap_renderOnOneLine() {
        assertThat(Hcl.list("a", "b;c")).isEqualTo("[\"a\", \"b;c\"]");
        assertThat(Hcl.map(Map.of("k ey", "v\"al"))).isEqualTo("{ \"k ey\" = \"v\\\"al\" }");
    }

    @Test
    void block_replacesAnAttributeInPlaceAndAlignsTheEqualsSigns() {
        Hcl.Block block = Hcl.Block.resource("rocketmq_topic", "t")
                .withString("name", "a")
                .with("perm", "6")
                .with("read_queue_nums", "4");
        Hcl.Block changed = block.with("perm", "5");

        assertThat(changed.render()).isEqualTo("""
        resource "rocketmq_topic" "t" {
          name            = "a"
          perm            = 5
          read_queue_nums = 4
        }
        """);
        assertThat(block.render()).as("blocks are immutable").contains("perm            = 6");
        assertThat(block.without("perm").render()).doesNotContain("perm");
    }

    @Test
    void block_rendersNestedBlocksAfterTheAttributes() {
        String rendered = Hcl.Block.provider("rocketmq")
                .with("name_servers", Hcl.list("a:1"))
                .withBlock(Hcl.Block.nested("ssh").withString("user", "root").with("port", "22"))
                .render();
        assertThat(rendered)
                .isEqualTo("provider \"rocketmq\" {\n"
                        + "  name_servers = [\"a:1\"]\n"
                        + "  ssh {\n"
                        + "    user = \"root\"\n"
                        + "    port = 22\n"
                        + "  }\n"
                        + "}\n");
    }
}
