package dev.tfrocketmq.framework.value;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal bounds-checked msgpack reader over a byte array. Every read that would run past the
 * end throws a {@link ValueCodecException} for the given path.
 */
final class MsgpackReader {
    private static final int MAX_SKIP_DEPTH = 64;

    private final byte[] data;
    private final int end;
    private int pos;

    MsgpackReader(byte[] data) {
        this(data, 0, data.length);
    }

    private MsgpackReader(byte[] data, int from, int to) {
        this.data = data;
        this.pos = from;
        this.end = to;
    }

    /** A msgpack extension value. {@code code} is the signed type code. */
    record Ext(int code, byte[] payload) {}

    boolean atEnd() {
        return pos >= end;
    }

    int remaining() {
        return end - pos;
    }

    /** The next format byte, unsigned, without consuming it. */
    int peekFormat(ValuePath path) {
        if (pos >= end) {
            throw truncated(path);
        }
        return data[pos] & 0xff;
    }

    static boolean isNil(int format) {
        return format == 0xc0;
    }

    static boolean isExt(int format) {
        return (format >= 0xd4 && format <= 0xd8) || (format >= 0xc7 && format <= 0xc9);
    }

    static boolean isString(int format) {
        return (format >= 0xa0 && format <= 0xbf) || (format >= 0xd9 && format <= 0xdb);
    }

    static boolean isBinary(int format) {
        return format >= 0xc4 && format <= 0xc6;
    }

    static boolean isInteger(int format) {
        return format <= 0x7f
                || format >= 0xe0
                || (format >= 0xcc && format <= 0xcf)
                || (format >= 0xd0 && format <= 0xd3);
    }

    static boolean isFloat(int format) {
        return format == 0xca || format == 0xcb;
    }

    /** A short name of a msgpack format, for error messages. */
    static String describe(int format) {
        if (isNil(format)) {
            return "nil";
        }
        if (format == 0xc2 || format == 0xc3) {
            return "bool";
        }
        if (isInteger(format)) {
            return "integer";
        }
        if (isFloat(format)) {
            return "float";
        }
        if (isString(format)) {
            return "string";
        }
        if (isBinary(format)) {
            return "binary";
        }
        if ((format >= 0x90 && format <= 0x9f) || format == 0xdc || format == 0xdd) {
            return "array";
        }
        if ((format >= 0x80 && format <= 0x8f) || format == 0xde || format == 0xdf) {
            return "map";
        }
        if (isExt(format)) {
            return "extension";
        }
        return String.format("invalid format byte 0x%02x", format);
    }

    void skipNil(ValuePath path) {
        expect(isNil(peekFormat(path)), path, "nil");
        pos++;
    }

    boolean readBool(ValuePath path) {
        int f = peekFormat(path);
        if (f == 0xc2 || f == 0xc3) {
            pos++;
            return f == 0xc3;
        }
        throw wrongFormat(path, "a bool", f);
    }

    /** Reads any msgpack integer, including uint64 values above {@link Long#MAX_VALUE}. */
    BigInteger readInteger(ValuePath path) {
        int f = peekFormat(path);
        if (f <= 0x7f) {
            pos++;
            return BigInteger.valueOf(f);
        }
        if (f >= 0xe0) {
            pos++;
            return BigInteger.valueOf((byte) f);
        }
        pos++;
        return switch (f) {
            case 0xcc -> BigInteger.valueOf(readBigEndian(1, path));
            case 0xcd -> BigInteger.valueOf(readBigEndian(2, path));
            case 0xce -> BigInteger.valueOf(readBigEndian(4, path));
            case 0xcf -> {
                long raw = readBigEndian(8, path);
                yield raw >= 0
                        ? BigInteger.valueOf(raw)
                        : BigInteger.valueOf(raw).add(BigInteger.ONE.shiftLeft(64));
            }
            case 0xd0 -> BigInteger.valueOf((byte) readBigEndian(1, path));
            case 0xd1 -> BigInteger.valueOf((short) readBigEndian(2, path));
            case 0xd2 -> BigInteger.valueOf((int) readBigEndian(4, path));
            case 0xd3 -> BigInteger.valueOf(readBigEndian(8, path));
            default -> {
                pos--;
                throw wrongFormat(path, "an integer", f);
            }
        };
    }

    /** Reads a float32 or float64 as a double. */
    double readFloat(ValuePath path) {
        int f = peekFormat(path);
        if (f == 0xca) {
            pos++;
            return Float.intBitsToFloat((int) readBigEndian(4, path));
        }
        if (f == 0xcb) {
            pos++;
            return Double.longBitsToDouble(readBigEndian(8, path));
        }
        throw wrongFormat(path, "a float", f);
    }

    /** Reads the raw bytes of a str (any width). */
    byte[] readStringBytes(ValuePath path) {
        int f = peekFormat(path);
        if (!isString(f)) {
            throw wrongFormat(path, "a string", f);
        }
        pos++;
        long n;
        if (f <= 0xbf) {
            n = f & 0x1f;
        } else {
            n = readBigEndian(f == 0xd9 ? 1 : f == 0xda ? 2 : 4, path);
        }
        return readBytes(n, path);
    }

    /** Reads a str (any width) and decodes it as strict UTF-8. */
    String readString(ValuePath path) {
        return utf8(readStringBytes(path), path);
    }

    /** Reads a bin or a str as raw bytes. */
    byte[] readBinaryOrString(ValuePath path) {
        int f = peekFormat(path);
        if (isString(f)) {
            return readStringBytes(path);
        }
        if (!isBinary(f)) {
            throw wrongFormat(path, "binary or string data", f);
        }
        pos++;
        long n = readBigEndian(f == 0xc4 ? 1 : f == 0xc5 ? 2 : 4, path);
        return readBytes(n, path);
    }

    /** Reads an array header; the length is checked against the bytes left. */
    int readArrayHeader(ValuePath path) {
        int f = peekFormat(path);
        long n;
        if (f >= 0x90 && f <= 0x9f) {
            pos++;
            n = f & 0x0f;
        } else if (f == 0xdc || f == 0xdd) {
            pos++;
            n = readBigEndian(f == 0xdc ? 2 : 4, path);
        } else {
            throw wrongFormat(path, "an array", f);
        }
        return checkCount(n, 1, path);
    }

    /** Reads a map header; the entry count is checked against the bytes left. */
    int readMapHeader(ValuePath path) {
        int f = peekFormat(path);
        long n;
        if (f >= 0x80 && f <= 0x8f) {
            pos++;
            n = f & 0x0f;
        } else if (f == 0xde || f == 0xdf) {
            pos++;
            n = readBigEndian(f == 0xde ? 2 : 4, path);
        } else {
            throw wrongFormat(path, "a map", f);
        }
        return checkCount(n, 2, path);
    }

    boolean isMapNext(ValuePath path) {
        int f = peekFormat(path);
        return (f >= 0x80 && f <= 0x8f) || f == 0xde || f == 0xdf;
    }

    /** Reads any extension value (fixext1/2/4/8/16, ext8/16/32). */
    Ext readExt(ValuePath path) {
        int f = peekFormat(path);
        if (!isExt(f)) {
            throw wrongFormat(path, "an extension", f);
        }
        pos++;
        long n = switch (f) {
            case 0xd4 -> 1;
            case 0xd5 -> 2;
            case 0xd6 -> 4;
            case 0xd7 -> 8;
            case 0xd8 -> 16;
            case 0xc7 -> readBigEndian(1, path);
            case 0xc8 -> readBigEndian(2, path);
            default -> readBigEndian(4, path);
        };
        int code = (byte) readBigEndian(1, path);
        return new Ext(code, readBytes(n, path));
    }

    /** Skips one complete value of any kind. */
    void skipValue(ValuePath path) {
        skipValue(path, 0);
    }

    private void skipValue(ValuePath path, int depth) {
        if (depth > MAX_SKIP_DEPTH) {
            throw new ValueCodecException(path, "msgpack data is nested too deeply");
        }
        int f = peekFormat(path);
        if (isNil(f) || f == 0xc2 || f == 0xc3) {
            pos++;
        } else if (isInteger(f)) {
            readInteger(path);
        } else if (isFloat(f)) {
            readFloat(path);
        } else if (isString(f) || isBinary(f)) {
            readBinaryOrString(path);
        } else if (isExt(f)) {
            readExt(path);
        } else if (isMapNext(path)) {
            int n = readMapHeader(path);
            for (int i = 0; i < 2 * n; i++) {
                skipValue(path, depth + 1);
            }
        } else if ((f >= 0x90 && f <= 0x9f) || f == 0xdc || f == 0xdd) {
            int n = readArrayHeader(path);
            for (int i = 0; i < n; i++) {
                skipValue(path, depth + 1);
            }
        } else {
            throw wrongFormat(path, "a msgpack value", f);
        }
    }

    /** A reader over a byte array of its own (e.g. an extension payload). */
    static MsgpackReader over(byte[] bytes) {
        return new MsgpackReader(bytes, 0, bytes.length);
    }

    static String utf8(byte[] bytes, ValuePath path) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ValueCodecException(path, "string is not valid UTF-8", e);
        }
    }

    private long readBigEndian(int n, ValuePath path) {
        if (remaining() < n) {
            throw truncated(path);
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (data[pos++] & 0xff);
        }
        return v;
    }

    private byte[] readBytes(long n, ValuePath path) {
        if (n > remaining()) {
            throw truncated(path);
        }
        byte[] out = Arrays.copyOfRange(data, pos, pos + (int) n);
        pos += (int) n;
        return out;
    }

    private int checkCount(long n, int minBytesEach, ValuePath path) {
        if (n * minBytesEach > remaining()) {
            throw truncated(path);
        }
        return (int) n;
    }

    private static void expect(boolean ok, ValuePath path, String what) {
        if (!ok) {
            throw new ValueCodecException(path, "expected " + what);
        }
    }

    static ValueCodecException truncated(ValuePath path) {
        return new ValueCodecException(path, "msgpack data is truncated");
    }

    static ValueCodecException wrongFormat(ValuePath path, String expected, int format) {
        return new ValueCodecException(path, "expected " + expected + ", got msgpack " + describe(format));
    }
}
