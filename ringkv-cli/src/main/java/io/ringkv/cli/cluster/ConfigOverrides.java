package io.ringkv.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Settings given on the command line ({@code cluster start --set storage.sync.policy=periodic}),
 * written into the configuration files {@code cluster start} creates, so that a script (a
 * benchmark's profile, a test) sets up its nodes in one command, with no hand edits. A value
 * that reads as a number or a boolean is written as one; anything else as a string. The node's
 * configuration loader then checks every key and value as it does for a hand-written file.
 */
public final class ConfigOverrides {
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)*");
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    private final Map<String, String> settings;

    private ConfigOverrides(Map<String, String> settings) {
        this.settings = settings;
    }

    /**
     * Parses {@code KEY=VALUE} arguments (KEY dotted, as docs/configuration.md names them).
     *
     * @throws IllegalArgumentException naming the argument that is not of that form
     */
    public static ConfigOverrides parse(List<String> arguments) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String argument : arguments) {
            int eq = argument.indexOf('=');
            String key = eq < 0 ? "" : argument.substring(0, eq).strip();
            if (eq < 0 || !KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("--set needs KEY=VALUE with a dotted key such as storage.sync.policy=periodic, got '"
                        + argument + "'");
            }
            settings.put(key, argument.substring(eq + 1).strip());
        }
        return new ConfigOverrides(settings);
    }

    public boolean isEmpty() {
        return settings.isEmpty();
    }

    /** Rewrites {@code config} (a YAML mapping) with these settings; its comments are not kept. */
    public void applyTo(Path config) {
        try {
            JsonNode root = YAML.readTree(config.toFile());
            ObjectNode tree = root instanceof ObjectNode object ? object : YAML.createObjectNode();
            settings.forEach((key, value) -> set(tree, key, value));
            String header = "# Written by `ringkv cluster start`, with its --set settings applied. Kept on later starts.\n"
                    + "# Every key and its default: docs/configuration.md\n";
            Files.writeString(config, header + YAML.writeValueAsString(tree));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot apply --set to " + config, e);
        }
    }

    private static void set(ObjectNode tree, String key, String value) {
        String[] path = key.split("\\.");
        ObjectNode parent = tree;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode child = parent.get(path[i]);
            // A scalar in the way is replaced; the loader then reports what does not fit.
            parent = child instanceof ObjectNode object ? object : parent.putObject(path[i]);
        }
        String leaf = path[path.length - 1];
        if (INTEGER.matcher(value).matches()) {
            parent.put(leaf, Long.parseLong(value));
        } else if (value.equals("true") || value.equals("false")) {
            parent.put(leaf, Boolean.parseBoolean(value));
        } else {
            parent.put(leaf, value);
        }
    }
}
