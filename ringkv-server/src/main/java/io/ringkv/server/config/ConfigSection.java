package io.ringkv.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongPredicate;

/**
 * One mapping of the YAML tree, read key by key with a default for each. It remembers which
 * keys were asked for, so {@link #rejectUnknownKeys()} can report a misspelt key by its full
 * dotted path instead of silently ignoring it (a typo in "compresion" must not quietly leave
 * compression at its default). Every error names the key and says what was expected.
 */
final class ConfigSection {
    private final String path;
    private final JsonNode node;
    private final Set<String> knownKeys = new LinkedHashSet<>();
    private final List<ConfigSection> children = new ArrayList<>();

    private ConfigSection(String path, JsonNode node) {
        this.path = path;
        this.node = node;
    }

    static ConfigSection root(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return new ConfigSection("", MissingNode.getInstance());
        }
        if (!node.isObject()) {
            throw new ConfigException("the top level must be a mapping of sections (node, http, storage, ...)");
        }
        return new ConfigSection("", node);
    }

    /** The nested mapping under {@code key}; an absent key reads as an empty mapping (all defaults). */
    ConfigSection section(String key) {
        JsonNode value = take(key);
        if (value != null && !value.isObject()) {
            throw error(key, "expected a mapping of keys, got " + describe(value));
        }
        ConfigSection child = new ConfigSection(qualify(key), value == null ? MissingNode.getInstance() : value);
        children.add(child);
        return child;
    }

    String string(String key, String defaultValue) {
        JsonNode value = take(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isTextual() && !value.isNumber()) {
            throw error(key, "expected a string, got " + describe(value));
        }
        String text = value.asText().strip();
        if (text.isEmpty()) {
            throw error(key, "must not be empty");
        }
        return text;
    }

    int integer(String key, int defaultValue, int min, int max) {
        JsonNode value = take(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw error(key, "expected a whole number, got " + describe(value));
        }
        long v = value.asLong();
        if (v < min || v > max) {
            throw error(key, "must be between " + min + " and " + max + ", got " + v);
        }
        return (int) v;
    }

    double decimal(String key, double defaultValue, double minExclusive, double maxExclusive) {
        JsonNode value = take(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isNumber()) {
            throw error(key, "expected a number, got " + describe(value));
        }
        double v = value.asDouble();
        if (!(v > minExclusive && v < maxExclusive)) {
            throw error(key, "must be greater than " + minExclusive + " and less than " + maxExclusive + ", got " + v);
        }
        return v;
    }

    boolean bool(String key, boolean defaultValue) {
        JsonNode value = take(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            throw error(key, "expected true or false, got " + describe(value));
        }
        return value.asBoolean();
    }

    /** A mapping of names to whole numbers within [min, max], e.g. {dc1: 3, dc2: 2}; absent reads as empty. */
    java.util.Map<String, Integer> integerMap(String key, int min, int max) {
        JsonNode value = take(key);
        java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        if (!value.isObject()) {
            throw error(key, "expected a mapping such as {dc1: 3, dc2: 2}, got " + describe(value));
        }
        for (var it = value.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode v = e.getValue();
            if (e.getKey().isBlank()) {
                throw error(key, "names must not be empty");
            }
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
                throw error(key, "the value of " + e.getKey() + " must be a whole number between " + min + " and " + max
                        + ", got " + describe(v));
            }
            out.put(e.getKey(), v.asInt());
        }
        return out;
    }

    /** A size such as "64MiB" or a plain number of bytes, within [min, max]. */
    long bytes(String key, long defaultBytes, long min, long max) {
        return parsed(key, defaultBytes, min, max, true);
    }

    /** A duration such as "10d" or a plain number of milliseconds, within [min, max]. */
    long millis(String key, long defaultMillis, long min, long max) {
        return parsed(key, defaultMillis, min, max, false);
    }

    /** One of {@code choices}, case-insensitive, returned in lower case. */
    String choice(String key, String defaultValue, String... choices) {
        String value = string(key, defaultValue).toLowerCase(Locale.ROOT);
        for (String c : choices) {
            if (c.equals(value)) {
                return c;
            }
        }
        throw error(key, "must be one of " + String.join(", ", choices) + ", got \"" + value + "\"");
    }

    List<String> stringList(String key) {
        JsonNode value = take(key);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw error(key, "expected a list of strings, got " + describe(value));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw error(key, "expected a list of non-empty strings, found " + describe(item));
            }
            out.add(item.asText().strip());
        }
        return List.copyOf(out);
    }

    /** Throws for the first key, here or in any section read below, that nobody asked for. */
    void rejectUnknownKeys() {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!knownKeys.contains(key)) {
                throw new ConfigException(qualify(key) + ": unknown key (known keys"
                        + (path.isEmpty() ? "" : " in " + path) + ": " + String.join(", ", new TreeSet<>(knownKeys)) + ")");
            }
        }
        children.forEach(ConfigSection::rejectUnknownKeys);
    }

    /** Every key asked for so far, here and below, as dotted paths (sections themselves excluded). */
    List<String> qualifiedKeys() {
        List<String> out = new ArrayList<>();
        Set<String> sectionNames = new java.util.HashSet<>();
        for (ConfigSection child : children) {
            sectionNames.add(child.path);
            out.addAll(child.qualifiedKeys());
        }
        for (String key : knownKeys) {
            if (!sectionNames.contains(qualify(key))) {
                out.add(qualify(key));
            }
        }
        return out;
    }

    ConfigException error(String key, String problem) {
        return new ConfigException(qualify(key) + ": " + problem);
    }

    private long parsed(String key, long defaultValue, long min, long max, boolean size) {
        JsonNode value = take(key);
        if (value == null) {
            return defaultValue;
        }
        long v;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            v = value.asLong();
        } else if (value.isTextual()) {
            try {
                v = size ? ConfigUnits.parseBytes(value.asText()) : ConfigUnits.parseMillis(value.asText());
            } catch (IllegalArgumentException e) {
                throw error(key, e.getMessage() + ", got \"" + value.asText() + "\"");
            }
        } else {
            throw error(key, (size ? "expected a size such as 64MiB" : "expected a duration such as 10d")
                    + ", got " + describe(value));
        }
        LongPredicate inRange = x -> x >= min && x <= max;
        if (!inRange.test(v)) {
            throw error(key, "must be between " + render(min, size) + " and " + render(max, size)
                    + ", got " + render(v, size));
        }
        return v;
    }

    private static String render(long v, boolean size) {
        return size ? ConfigUnits.formatBytes(v) : v + "ms";
    }

    private JsonNode take(String key) {
        knownKeys.add(key);
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value;
    }

    private String qualify(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String describe(JsonNode value) {
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isTextual()) {
            return "\"" + value.asText() + "\"";
        }
        return value.toString();
    }
}
