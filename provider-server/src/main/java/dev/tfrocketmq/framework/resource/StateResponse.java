package dev.tfrocketmq.framework.resource;

import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.value.Value;

/**
 * Holder a lifecycle call fills in. For create/update it starts as the planned value; the resource replaces unknown
 * computed attributes. For read, a null state means "the object is definitely gone".
 */
public final class StateResponse {
    private Value state;
    private byte[] privateData;
    private final Diagnostics diagnostics = new Diagnostics();

    public StateResponse(Value initial, byte[] privateData) {
        this.state = initial;
        this.privateData = privateData == null ? new byte[0] : privateData;
    }

    public Value state() {
        return state;
    }

    public void setState(Value state) {
        this.state = state;
    }

    public void setAttribute(String name, Value value) {
        this.state = state.withAttribute(name, value);
    }

    public void markGone() {
        this.state = null;
    }

    public byte[] privateData() {
        return privateData;
    }

    public void setPrivateData(byte[] privateData) {
        this.privateData = privateData == null ? new byte[0] : privateData;
    }

    public Diagnostics diagnostics() {
        return diagnostics;
    }
}
