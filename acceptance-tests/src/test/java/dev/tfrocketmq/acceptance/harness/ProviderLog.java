package dev.tfrocketmq.acceptance.harness;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entries of a Terraform log file ({@code TF_LOG_PATH}) by message. Reads both forms Terraform writes: JSON lines
 * ({@code "@message":"..."} with the fields beside it) and the text form
 * ({@code ... provider.terraform-provider-rocketmq_v0.1.0: <message>: key=value key="quoted value"}).
 */
public final class ProviderLog {
    private static final Pattern FIELD = Pattern.compile("([A-Za-z0-9_.@-]+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");

    private ProviderLog() {}

    /** One log entry: its fields as strings, and the raw line. */
    public record Entry(Map<String, String> fields, String line) {
        public String field(String name) {
            return fields.get(name);
        }

        @Override
        public String toString() {
            return line.length() > 400 ? line.substring(0, 400) + "..." : line;
        }
    }

    /** Every entry of {@code file} whose message is exactly {@code message}; none when the file does not exist. */
    public static List<Entry> entries(Path file, String message) {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<Entry> found = new ArrayList<>();
        for (String line : lines) {
            String trimmed = line.strip();
            if (!trimmed.contains(message)) {
                continue;
            }
            if (trimmed.startsWith("{")) {
                json(trimmed, message).ifPresent(found::add);
            } else {
                text(trimmed, message).ifPresent(found::add);
            }
        }
        return found;
    }

    private static Optional<Entry> json(String line, String message) {
        JsonObject object;
        try {
            object = JsonParser.parseString(line).getAsJsonObject();
        } catch (JsonSyntaxException | IllegalStateException notJson) {
            return Optional.empty();
        }
        JsonElement m = object.get("@message");
        if (m == null || !m.isJsonPrimitive() || !m.getAsString().equals(message)) {
            return Optional.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        object.entrySet()
                .forEach(e -> fields.put(
                        e.getKey(),
                        e.getValue().isJsonPrimitive()
                                ? e.getValue().getAsString()
                                : e.getValue().toString()));
        return Optional.of(new Entry(fields, line));
    }

    private static Optional<Entry> text(String line, String message) {
        int at = line.indexOf(": " + message + ":");
        boolean ending = line.endsWith(": " + message);
        if (at < 0 && !ending) {
            return Optional.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("@message", message);
        if (at >= 0) {
            Matcher matcher = FIELD.matcher(line.substring(at + message.length() + 3));
            while (matcher.find()) {
                String value = matcher.group(2);
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1)
                            .replace("\\\"", "\"")
                            .replace("\\\\", "\\");
                }
                fields.put(matcher.group(1), value);
            }
        }
        return Optional.of(new Entry(fields, line));
    }
}
