package dev.tfrocketmq.process;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * How RocketMQ's config values compare: as RocketMQ reads them (numbers by value, booleans ignoring case, the rest
 * as text), so that "08" declared and "8" reported by the running process are one value, not drift.
 */
final class ConfigValues {
    private ConfigValues() {}

    /** Whether two values (null: absent) mean the same to RocketMQ. */
    static boolean same(String a, String b) {
        if (a == null || b == null) {
            return a == null && b == null;
        }
        String x = a.strip();
        String y = b.strip();
        if (x.equals(y)) {
            return true;
        }
        if (isBoolean(x) && isBoolean(y)) {
            return x.equalsIgnoreCase(y);
        }
        BigDecimal m = number(x);
        BigDecimal n = number(y);
        return m != null && n != null && m.compareTo(n) == 0;
    }

    private static boolean isBoolean(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        return lower.equals("true") || lower.equals("false");
    }

    private static BigDecimal number(String s) {
        if (s.isEmpty() || s.length() > 40) {
            return null;
        }
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
