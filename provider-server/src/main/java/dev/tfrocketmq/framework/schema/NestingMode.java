package dev.tfrocketmq.framework.schema;

/** How a nested block repeats (protocol values: SINGLE 1, LIST 2, SET 3, MAP 4, GROUP 5). */
public enum NestingMode {
    SINGLE(1),
    LIST(2),
    SET(3),
    MAP(4),
    GROUP(5);

    private final int wire;

    NestingMode(int wire) {
        this.wire = wire;
    }

    public int wire() {
        return wire;
    }
}
