package dev.tfrocketmq.framework.log;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Structured log lines on stderr in the JSON shape Terraform parses from plugins ({@code @level}, {@code @message},
 * {@code @timestamp} with six fractional digits, {@code @module}). The level comes from TF_LOG_PROVIDER_ROCKETMQ,
 * TF_LOG_PROVIDER or TF_LOG, as Terraform filters too. Never pass secrets to it.
 */
public final class Log {
    public enum Level {
        TRACE,
        DEBUG,
        INFO,
        WARN,
        ERROR,
        OFF
    }

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX", Locale.ROOT);
    private static volatile PrintStream out = System.err;
    private static volatile Level threshold = levelFromEnvironment(System.getenv());

    private final String module;

    private Log(String module) {
        this.module = module;
    }

    public static Log named(String module) {
        return new Log("rocketmq." + module);
    }

    public static void redirect(PrintStream stream) {
        out = stream;
    }

    static Level levelFromEnvironment(Map<String, String> env) {
        for (String key : new String[] {"TF_LOG_PROVIDER_ROCKETMQ", "TF_LOG_PROVIDER", "TF_LOG"}) {
            String v = env.get(key);
            if (v != null && !v.isBlank()) {
                try {
                    return Level.valueOf(v.trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    return Level.TRACE; // Terraform treats unknown values like JSON as the most verbose
                }
            }
        }
        return Level.INFO;
    }

    public boolean enabled(Level level) {
        return level.ordinal() >= threshold.ordinal() && level != Level.OFF;
    }

    public void trace(String message, Object... fields) {
        write(Level.TRACE, message, fields);
    }

    public void debug(String message, Object... fields) {
        write(Level.DEBUG, message, fields);
    }

    public void info(String message, Object... fields) {
        write(Level.INFO, message, fields);
    }

    public void warn(String message, Object... fields) {
        write(Level.WARN, message, fields);
    }

    public void error(String message, Object... fields) {
        write(Level.ERROR, message, fields);
    }

    /** Fields are key, value pairs. */
    public void write(Level level, String message, Object... fields) {
        if (!enabled(level)) {
            return;
        }
        out.println(format(level, module, message, OffsetDateTime.now(ZoneOffset.UTC), fields));
    }

    static String format(Level level, String module, String message, OffsetDateTime at, Object... fields) {
        StringWriter buffer = new StringWriter();
        try (JsonWriter json = new JsonWriter(buffer)) {
            json.beginObject();
            json.name("@level").value(level.name().toLowerCase(Locale.ROOT));
            json.name("@message").value(message);
            json.name("@module").value(module);
            json.name("@timestamp").value(TIMESTAMP.format(at));
            for (int i = 0; i + 1 < fields.length; i += 2) {
                json.name(String.valueOf(fields[i])).value(String.valueOf(fields[i + 1]));
            }
            json.endObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return buffer.toString();
    }
}
