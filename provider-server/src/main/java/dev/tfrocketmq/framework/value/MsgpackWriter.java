package dev.tfrocketmq.framework.value;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A minimal msgpack writer over a growable byte buffer. Always writes the smallest form. */
final class MsgpackWriter {
    private byte[] buf = new byte[64];
    private int len;

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    void writeNil() {
        put(0xc0);
    }

    void writeBool(boolean b) {
        put(b ? 0xc3 : 0xc2);
    }

    void writeLong(long v) {
        if (v >= 0) {
            if (v <= 0x7f) {
                put((int) v);
            } else if (v <= 0xff) {
                put(0xcc);
                put((int) v);
            } else if (v <= 0xffff) {
                put(0xcd);
                putBE(v, 2);
            } else if (v <= 0xffff_ffffL) {
                put(0xce);
                putBE(v, 4);
            } else {
                put(0xcf);
                putBE(v, 8);
            }
        } else {
            if (v >= -32) {
                put((int) v & 0xff);
            } else if (v >= Byte.MIN_VALUE) {
                put(0xd0);
                putBE(v, 1);
            } else if (v >= Short.MIN_VALUE) {
                put(0xd1);
                putBE(v, 2);
            } else if (v >= Integer.MIN_VALUE) {
                put(0xd2);
                putBE(v, 4);
            } else {
                put(0xd3);
                putBE(v, 8);
            }
        }
    }

    void writeDouble(double d) {
        put(0xcb);
        putBE(Double.doubleToRawLongBits(d), 8);
    }

    void writeString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int n = bytes.length;
        if (n <= 31) {
            put(0xa0 | n);
        } else if (n <= 0xff) {
            put(0xd9);
            put(n);
        } else if (n <= 0xffff) {
            put(0xda);
            putBE(n, 2);
        } else {
            put(0xdb);
            putBE(n, 4);
        }
        putBytes(bytes);
    }

    void writeBinary(byte[] bytes) {
        int n = bytes.length;
        if (n <= 0xff) {
            put(0xc4);
            put(n);
        } else if (n <= 0xffff) {
            put(0xc5);
            putBE(n, 2);
        } else {
            put(0xc6);
            putBE(n, 4);
        }
        putBytes(bytes);
    }

    void writeArrayHeader(int n) {
        if (n <= 15) {
            put(0x90 | n);
        } else if (n <= 0xffff) {
            put(0xdc);
            putBE(n, 2);
        } else {
            put(0xdd);
            putBE(n, 4);
        }
    }

    void writeMapHeader(int n) {
        if (n <= 15) {
            put(0x80 | n);
        } else if (n <= 0xffff) {
            put(0xde);
            putBE(n, 2);
        } else {
            put(0xdf);
            putBE(n, 4);
        }
    }

    /** The plain unknown value: fixext1, type 0, one zero byte. */
    void writeUnknown() {
        put(0xd4);
        put(0x00);
        put(0x00);
    }

    private void put(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    private void putBE(long v, int bytes) {
        ensure(bytes);
        for (int i = bytes - 1; i >= 0; i--) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
    }

    private void putBytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            long wanted = Math.max((long) buf.length * 2, (long) len + extra);
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("msgpack output exceeds the maximum array size");
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }
}
