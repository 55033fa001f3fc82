package dev.tfrocketmq.framework.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tfrocketmq.framework.schema.Attribute;
import dev.tfrocketmq.framework.schema.Block;
import dev.tfrocketmq.tfplugin6.Tfplugin6;
import org.junit.jupiter.api.Test;

class ConvertWriteOnlyTest {
    @Test
    void aWriteOnlyAttributeIsAnnouncedAsSuchAndOthersAreNot() {
        Tfplugin6.Schema.Block block = Convert.block(Block.of(
                "login",
                Attribute.string("password").optional().sensitive().writeOnly().build(),
                Attribute.string("name").required().build()));

        assertThat(block.getAttributes(0).getName()).isEqualTo("password");
        assertThat(block.getAttributes(0).getWriteOnly()).isTrue();
        assertThat(block.getAttributes(0).getSensitive()).isTrue();
        assertThat(block.getAttributes(1).getWriteOnly()).isFalse();
    }

    @Test
    void theClientCapabilityIsReadFromFieldTwoOfTheValidateRequest() throws Exception {
        // ValidateResourceConfig.Request: client_capabilities = 3 { write_only_attributes_allowed = 2 }
        byte[] wire = {0x1a, 0x02, 0x10, 0x01};

        Tfplugin6.ValidateResourceConfig.Request r = Tfplugin6.ValidateResourceConfig.Request.parseFrom(wire);

        assertThat(r.getClientCapabilities().getWriteOnlyAttributesAllowed()).isTrue();
    }
}
