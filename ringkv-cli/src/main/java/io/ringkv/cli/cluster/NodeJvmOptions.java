package io.ringkv.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM options a local node is launched with, in the order the JVM reads them (for a repeated
 * option the last one wins): those of {@code conf/jvm-server.options} (shared with {@code bin/ringkv
 * server}), then the node's fixed heap, then the operator's {@code RINGKV_NODE_JAVA_OPTS}.
 */
public final class NodeJvmOptions {
    /** Where the options file lives under the ringkv home (the checkout or install directory). */
    public static final String OPTIONS_FILE = "conf/jvm-server.options";
    /** The heap a local node gets unless told otherwise: three of them fit a laptop. */
    public static final String DEFAULT_HEAP = "1g";
    /** Below this a node with the default block cache and memtables cannot hold its own caches. */
    static final long MIN_HEAP_BYTES = 256L << 20;
    private static final Pattern HEAP = Pattern.compile("(\\d{1,9})([kmg]?)");

    private NodeJvmOptions() {
    }

    /**
     * The options file's options: one per line, '#' to the end of a line is a comment, blank lines
     * are skipped. None when {@code home} is null (a node run from a build's classes, as in tests)
     * or has no such file.
     */
    public static List<String> fromHome(String home) {
        if (home == null) {
            return List.of();
        }
        Path file = Path.of(home).resolve(OPTIONS_FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return parse(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static List<String> parse(List<String> lines) {
        List<String> options = new ArrayList<>();
        for (String line : lines) {
            int comment = line.indexOf('#');
            String option = (comment < 0 ? line : line.substring(0, comment)).strip();
            if (!option.isEmpty()) {
                options.add(option);
            }
        }
        return options;
    }

    /**
     * {@code -Xms} and {@code -Xmx} both set to {@code heap} (JVM syntax: a number with an optional
     * k, m or g), so the heap is never resized under load.
     *
     * @throws IllegalArgumentException naming the problem, for a malformed or too small size
     */
    public static List<String> fixedHeap(String heap) {
        String size = heap.strip().toLowerCase(Locale.ROOT);
        Matcher m = HEAP.matcher(size);
        if (!m.matches()) {
            throw new IllegalArgumentException("--heap must be a size like 512m or 2g, got '" + heap + "'");
        }
        long bytes = Long.parseLong(m.group(1)) << switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        if (bytes < MIN_HEAP_BYTES) {
            throw new IllegalArgumentException("--heap must be at least 256m (the block cache and memtables live there), got '"
                    + heap + "'");
        }
        return List.of("-Xms" + size, "-Xmx" + size);
    }

    /** Whitespace-separated options from an environment variable; none when it is unset or blank. */
    public static List<String> split(String options) {
        return options == null || options.isBlank() ? List.of() : List.of(options.strip().split("\\s+"));
    }

    /** The file's options, the fixed heap, then the operator's: the order in which the JVM gets them. */
    public static List<String> forNode(String home, String heap, String operatorOptions) {
        List<String> all = new ArrayList<>(fromHome(home));
        all.addAll(fixedHeap(heap));
        all.addAll(split(operatorOptions));
        return List.copyOf(all);
    }
}
