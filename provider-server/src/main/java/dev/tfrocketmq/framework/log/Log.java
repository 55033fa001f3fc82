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
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Structured log lines in the JSON shape Terraform parses from plugins ({@code @level}, {@code @message},
 * {@code @timestamp} with six fractional digits, {@code @module}). Never pass secrets to it.
 *
 * <p>Where a line goes depends on the thread: while a Terraform session's call runs, its lines go to that session's
 * {@link LogSink} (and so to the Terraform that made the call, at that Terraform's level); everything else goes to the
 * process's default sink, standard error. Work handed to other threads keeps its session with {@link #propagate}.
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
    private static final ThreadLocal<LogSink> CURRENT = new ThreadLocal<>();
    private static volatile String prefix = "provider.";
    private static volatile String providerName = "provider";
    private static volatile LogSink fallback =
            streamSink(System.err, levelFromEnvironment(System.getenv(), "provider"));

    private final String module;

    private Log(String module) {
        this.module = module;
    }

    /** A logger whose lines carry {@code @module = <provider name>.<module>}. */
    public static Log named(String module) {
        return new Log(module);
    }

    /**
     * Names the provider (e.g. "rocketmq"): modules are prefixed with it, and TF_LOG_PROVIDER_&lt;NAME&gt; selects its
     * level. Call once at start-up, before anything logs.
     */
    public static void configure(String name, PrintStream defaultStream, Map<String, String> environment) {
        providerName = name;
        prefix = name + ".";
        fallback = streamSink(defaultStream, levelFromEnvironment(environment, name));
    }

    /** The level Terraform would keep for this provider's lines in {@code environment}. */
    public static Level levelFromEnvironment(Map<String, String> environment, String name) {
        String specific = "TF_LOG_PROVIDER_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
        for (String key : new String[] {specific, "TF_LOG_PROVIDER", "TF_LOG"}) {
            String v = environment.get(key);
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

    /** The process's default sink (standard error unless {@link #configure} chose another stream). */
    public static LogSink defaultSink() {
        return DEFAULT;
    }

    private static final LogSink DEFAULT = new LogSink() {
        @Override
        public Level threshold() {
            return fallback.threshold();
        }

        @Override
        public void write(String line) {
            fallback.write(line);
        }
    };

    public static String providerName() {
        return providerName;
    }

    /** A sink writing whole lines to {@code stream}, keeping lines at {@code threshold} and above. */
    public static LogSink streamSink(PrintStream stream, Level threshold) {
        return new LogSink() {
            @Override
            public Level threshold() {
                return threshold;
            }

            @Override
            public void write(String line) {
                stream.println(line);
            }
        };
    }

    /** Runs {@code work} with this thread's lines going to {@code sink}. */
    public static <T> T withSink(LogSink sink, Supplier<T> work) {
        LogSink previous = CURRENT.get();
        CURRENT.set(sink);
        try {
            return work.get();
        } finally {
            restore(previous);
        }
    }

    /** Wraps {@code task} so that, on whatever thread it runs, its lines go where the caller's go now. */
    public static Runnable propagate(Runnable task) {
        LogSink sink = CURRENT.get();
        if (sink == null) {
            return task;
        }
        return () -> withSink(sink, () -> {
            task.run();
            return null;
        });
    }

    /** As {@link #propagate(Runnable)}, for a task with a result. */
    public static <T> Callable<T> propagate(Callable<T> task) {
        LogSink sink = CURRENT.get();
        if (sink == null) {
            return task;
        }
        return () -> {
            LogSink previous = CURRENT.get();
            CURRENT.set(sink);
            try {
                return task.call();
            } finally {
                restore(previous);
            }
        };
    }

    private static void restore(LogSink previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    private static LogSink sink() {
        LogSink sink = CURRENT.get();
        return sink != null ? sink : fallback;
    }

    public boolean enabled(Level level) {
        return level != Level.OFF && level.ordinal() >= sink().threshold().ordinal();
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
        LogSink sink = sink();
        if (level == Level.OFF || level.ordinal() < sink.threshold().ordinal()) {
            return;
        }
        sink.write(format(level, prefix + module, message, OffsetDateTime.now(ZoneOffset.UTC), fields));
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
