package dev.tfrocketmq.keygen;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Writes the configuration keys of one RocketMQ version, taken from its own config classes the way it reads them.
 *
 * <p>RocketMQ reads {@code broker.conf} and the name server's properties with {@code MixAll.properties2Object}: for
 * every public method of the config object whose name starts with {@code set} and whose first parameter is a number,
 * a boolean or a string, the key is the rest of the name with its first letter in lower case
 * ({@code setListenPort(int)} reads {@code listenPort}). Every other key is ignored without a word.
 *
 * <p>For each role ({@code broker}, {@code namesrv}) it writes, one key a line, sorted:
 *
 * <ul>
 *   <li>{@code <role>.keys}: every key the process reads at start;
 *   <li>{@code <role>.writable.keys}: the keys {@code updateBrokerConfig} / {@code updateNamesrvConfig} write into the
 *       running process (the config objects registered in its {@code Configuration}, less the keys the request
 *       refuses);
 *   <li>{@code <role>.live.keys}: those of the writable keys that the running process is known to read again on every
 *       use, so that a change takes effect without a restart (a curated list, each entry with its evidence, checked
 *       here against the writable keys of this version).
 * </ul>
 */
public final class KeyListGenerator {

    /** The parameter types {@code MixAll.properties2Object} converts a value to, by simple name (4.x and 5.x). */
    static final Set<String> CONVERTIBLE = Set.of(
            "int", "Integer", "long", "Long", "double", "Double", "boolean", "Boolean", "float", "Float", "String");

    private KeyListGenerator() {}

    /** The keys RocketMQ reads into an object of {@code type}. */
    static SortedSet<String> keysOf(Class<?> type) {
        SortedSet<String> keys = new TreeSet<>();
        for (Method method : type.getMethods()) {
            String name = method.getName();
            if (name.startsWith("set")
                    && name.length() > 3
                    && method.getParameterCount() == 1
                    && CONVERTIBLE.contains(method.getParameterTypes()[0].getSimpleName())) {
                keys.add(Character.toLowerCase(name.charAt(3)) + name.substring(4));
            }
        }
        return keys;
    }

    /** The keys of all the classes, loaded (not initialised) through {@code loader}. */
    static SortedSet<String> keysOf(Collection<String> classNames, ClassLoader loader) {
        SortedSet<String> keys = new TreeSet<>();
        for (String className : classNames) {
            try {
                keys.addAll(keysOf(Class.forName(className, false, loader)));
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException(
                        "config class " + className + " cannot be loaded from this RocketMQ version's jars (" + e
                                + "); fix the class list in its pom.xml",
                        e);
            }
        }
        return keys;
    }

    /**
     * The curated live keys: one a line, the key, white space, then where RocketMQ reads it again; {@code #} starts a
     * comment line.
     */
    static Map<String, String> readCurated(List<String> lines) {
        Map<String, String> curated = new LinkedHashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            if (parts.length < 2) {
                throw new IllegalArgumentException(
                        "curated live key \"" + parts[0] + "\" has no evidence: write where RocketMQ reads it again");
            }
            if (curated.put(parts[0], parts[1]) != null) {
                throw new IllegalArgumentException("curated live key \"" + parts[0] + "\" is listed twice");
            }
        }
        return curated;
    }

    /** What one role reads, accepts live and applies live. */
    record KeyLists(SortedSet<String> read, SortedSet<String> writable, SortedSet<String> live) {}

    static KeyLists keyLists(
            String role,
            String version,
            List<String> classes,
            List<String> extra,
            List<String> writableClasses,
            List<String> rejected,
            Map<String, String> curatedLive,
            ClassLoader loader) {
        SortedSet<String> read = keysOf(classes, loader);
        read.addAll(extra);
        SortedSet<String> writable = keysOf(writableClasses, loader);
        writable.removeAll(rejected);
        SortedSet<String> live = new TreeSet<>();
        for (String key : curatedLive.keySet()) {
            if (!read.contains(key)) {
                continue; // a key this version does not have at all
            }
            if (!writable.contains(key)) {
                throw new IllegalStateException("the curated live " + role + " key \"" + key + "\" is not one that"
                        + " RocketMQ " + version + " accepts through its config update request; remove it from the"
                        + " curated list");
            }
            live.add(key);
        }
        return new KeyLists(read, writable, live);
    }

    static void write(Path dir, String role, KeyLists lists) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(role + ".keys"), lines(lists.read()));
        Files.write(dir.resolve(role + ".writable.keys"), lines(lists.writable()));
        Files.write(dir.resolve(role + ".live.keys"), lines(lists.live()));
    }

    private static byte[] lines(SortedSet<String> keys) {
        StringBuilder text = new StringBuilder();
        keys.forEach(k -> text.append(k).append('\n'));
        return text.toString().getBytes(UTF_8);
    }

    private static List<String> list(String value) {
        if (value == null || value.isBlank() || value.strip().equals("-")) {
            return List.of();
        }
        return Arrays.stream(value.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static Map<String, String> curated(String file) {
        try {
            return readCurated(Files.readAllLines(Path.of(file), UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the curated live keys " + file, e);
        }
    }

    /** {@code --out DIR --index FILE --version V} and, per role, the class lists, extra and refused keys. */
    public static void main(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got " + Arrays.toString(args));
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        String version = required(options, "version");
        Path out = Path.of(required(options, "out"));
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        KeyLists broker = keyLists(
                "broker",
                version,
                list(required(options, "broker")),
                list(options.get("broker-extra")),
                list(required(options, "broker-writable")),
                list(options.get("broker-rejected")),
                curated(required(options, "broker-live")),
                loader);
        KeyLists namesrv = keyLists(
                "namesrv",
                version,
                list(required(options, "namesrv")),
                list(options.get("namesrv-extra")),
                list(required(options, "namesrv-writable")),
                list(options.get("namesrv-rejected")),
                curated(required(options, "namesrv-live")),
                loader);
        write(out, "broker", broker);
        write(out, "namesrv", namesrv);
        Path index = Path.of(required(options, "index"));
        Files.createDirectories(index.getParent());
        Files.write(index, (version + "\n").getBytes(UTF_8));
        System.out.printf(
                "RocketMQ %s keys: broker %d (writable %d, live %d), namesrv %d (writable %d, live %d) in %s%n",
                version,
                broker.read().size(),
                broker.writable().size(),
                broker.live().size(),
                namesrv.read().size(),
                namesrv.writable().size(),
                namesrv.live().size(),
                out);
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }
}
