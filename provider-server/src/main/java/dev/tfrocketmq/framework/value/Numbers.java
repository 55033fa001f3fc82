package dev.tfrocketmq.framework.value;

import java.math.BigDecimal;
import java.util.Locale;

/** Number text rules shared by the codecs and {@link Value#toString()}. */
final class Numbers {
    /** Beyond this scale (either sign) numbers are written in scientific notation. */
    private static final int MAX_PLAIN_SCALE = 1000;

    private Numbers() {}

    /**
     * Decimal text of a number that Go's {@code big.Float} parser (and so Terraform) reads back: the
     * plain form, or scientific notation for extreme exponents whose plain form would be huge.
     */
    static String text(BigDecimal n) {
        int scale = n.scale();
        if (scale >= -MAX_PLAIN_SCALE && scale <= MAX_PLAIN_SCALE) {
            return n.toPlainString();
        }
        return n.toString();
    }

    /**
     * Parses a decimal number string as Terraform writes it.
     *
     * @throws NumberFormatException with a readable message if the text is not a finite decimal
     */
    static BigDecimal parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("nan") || t.endsWith("inf") || t.endsWith("infinity")) {
            throw new NumberFormatException(
                    "number \"" + text + "\" is not finite; infinities and NaN are not supported");
        }
        if (!text.equals(text.strip()) || text.isEmpty()) {
            throw new NumberFormatException("\"" + text + "\" is not a decimal number");
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            NumberFormatException wrapped = new NumberFormatException("\"" + text + "\" is not a decimal number");
            wrapped.initCause(e);
            throw wrapped;
        }
    }
}
