package dev.tfrocketmq.framework.schema;

import dev.tfrocketmq.framework.diag.Diagnostics;
import dev.tfrocketmq.framework.value.TfType;
import dev.tfrocketmq.framework.value.Value;
import dev.tfrocketmq.framework.value.ValuePath;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Ready-made validators. Each error names the attribute path, the bad value and what is accepted. */
public final class Validators {
    private static final String HOST_PATTERN = "[A-Za-z0-9.-]+|\\[?[0-9A-Fa-f:]+\\]?";

    private Validators() {}

    public static Validator oneOf(String... allowed) {
        List<String> values = List.of(allowed);
        String text = "one of " + String.join(", ", values);
        return simple(text, v -> values.contains(v.asString()));
    }

    public static Validator oneOfNumbers(long... allowed) {
        StringBuilder text = new StringBuilder("one of");
        for (long a : allowed) {
            text.append(text.length() > 6 ? ", " : " ").append(a);
        }
        return simple(text.toString(), v -> {
            for (long a : allowed) {
                if (v.asNumber().compareTo(BigDecimal.valueOf(a)) == 0) {
                    return true;
                }
            }
            return false;
        });
    }

    public static Validator matches(String regex, String explanation) {
        Pattern pattern = Pattern.compile(regex);
        return simple(explanation, v -> pattern.matcher(v.asString()).matches());
    }

    public static Validator integerBetween(long min, long max) {
        return simple("a whole number from " + min + " to " + max, v -> {
            BigDecimal n = v.asNumber();
            return n.stripTrailingZeros().scale() <= 0
                    && n.compareTo(BigDecimal.valueOf(min)) >= 0
                    && n.compareTo(BigDecimal.valueOf(max)) <= 0;
        });
    }

    /** An absolute path made of safe characters only. */
    public static Validator absolutePath() {
        return matches(
                "/(?!.*(^|/)\\.{1,2}(/|$))[A-Za-z0-9._/@+=,-]*",
                "an absolute path of letters, digits and . _ / @ + = , - only (no spaces or shell characters), "
                        + "without . or .. segments");
    }

    /** A host name, an IPv4 address or an IPv6 address (optionally in brackets). */
    public static Validator host() {
        return matches(HOST_PATTERN, "a host name or IP address");
    }

    /** host:port, with a port from 1 to 65535. */
    public static Validator hostPort() {
        return simple("host:port, such as 10.0.0.5:9876", v -> {
            String s = v.asString();
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || !s.substring(0, colon).matches(HOST_PATTERN)) {
                return false;
            }
            String port = s.substring(colon + 1);
            return port.matches("[0-9]{1,5}") && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
        });
    }

    public static Validator eachElement(Validator inner) {
        return new Validator() {
            @Override
            public String description() {
                return "each element " + inner.description();
            }

            @Override
            public void validate(ValuePath path, Value value, Diagnostics diagnostics) {
                List<Value> elements = value.elements();
                for (int i = 0; i < elements.size(); i++) {
                    Value element = elements.get(i);
                    if (element.isKnown() && !element.isNull()) {
                        inner.validate(path.index(i), element, diagnostics);
                    }
                }
            }
        };
    }

    public static Validator eachKey(Validator inner) {
        return new Validator() {
            @Override
            public String description() {
                return "each key " + inner.description();
            }

            @Override
            public void validate(ValuePath path, Value value, Diagnostics diagnostics) {
                for (String key : value.entries().keySet()) {
                    inner.validate(path.key(key), Value.string(key), diagnostics);
                }
            }
        };
    }

    public static Validator eachValue(Validator inner) {
        return new Validator() {
            @Override
            public String description() {
                return "each value " + inner.description();
            }

            @Override
            public void validate(ValuePath path, Value value, Diagnostics diagnostics) {
                for (Map.Entry<String, Value> e : value.entries().entrySet()) {
                    if (e.getValue().isKnown() && !e.getValue().isNull()) {
                        inner.validate(path.key(e.getKey()), e.getValue(), diagnostics);
                    }
                }
            }
        };
    }

    public static Validator simple(String description, Predicate<Value> accepts) {
        return new Validator() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public void validate(ValuePath path, Value value, Diagnostics diagnostics) {
                if (!accepts.test(value)) {
                    diagnostics.attributeError(
                            path,
                            "Invalid value for " + path,
                            "The value " + show(value) + " is not accepted: " + path + " must be " + description
                                    + ". Change it in the configuration and run the command again.");
                }
            }
        };
    }

    static String show(Value value) {
        if (value.type().equals(TfType.STRING)) {
            String s = value.asString();
            String shown = s.length() > 80 ? s.substring(0, 80) + "…" : s;
            return '"' + shown.replace("\n", "\\n") + '"';
        }
        return value.toString();
    }
}
