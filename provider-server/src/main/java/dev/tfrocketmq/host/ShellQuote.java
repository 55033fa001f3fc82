package dev.tfrocketmq.host;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * POSIX shell quoting. A quoted word is read back by {@code sh} as exactly the original string:
 * {@code abc -> abc}, {@code a b -> 'a b'}, {@code it's -> 'it'"'"'s'}.
 */
public final class ShellQuote {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");
    private static final int ABBREVIATE_AT = 120;

    private ShellQuote() {}

    /** One shell word that stands for {@code arg}. */
    public static String quote(String arg) {
        return SAFE.matcher(arg).matches() ? arg : alwaysQuote(arg);
    }

    private static String alwaysQuote(String arg) {
        if (arg.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell word cannot contain a NUL character");
        }
        return "'" + arg.replace("'", "'\"'\"'") + "'";
    }

    /** A command line that runs {@code argv}. */
    public static String join(List<String> argv) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (i > 0) {
                line.append(' ');
            }
            // A leading NAME=value word would be taken as a variable assignment.
            line.append(i == 0 && arg.indexOf('=') >= 0 ? alwaysQuote(arg) : quote(arg));
        }
        return line.toString();
    }

    /** Like {@link #join} but long words (inline scripts) are cut to their first line. */
    static String abbreviate(List<String> argv) {
        return argv.stream()
                .map(arg -> {
                    String quoted = quote(arg);
                    if (quoted.length() <= ABBREVIATE_AT) {
                        return quoted;
                    }
                    String head = arg.strip().lines().findFirst().orElse("");
                    head = head.length() > 60 ? head.substring(0, 60) : head;
                    return quote(head + " …") + "(" + arg.length() + " chars)";
                })
                .collect(Collectors.joining(" "));
    }
}
