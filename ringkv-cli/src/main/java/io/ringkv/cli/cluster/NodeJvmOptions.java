package io.ringkv.cli.cluster;

import io.ringkv.server.config.JvmMemoryOptions;
import io.ringkv.server.config.MemoryBudget;
import io.ringkv.server.config.MemoryOverrides;
import io.ringkv.server.config.MemoryPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The JVM options a node is launched with ({@code cluster start}'s nodes, and {@code bin/ringkv
 * server} through {@code server --jvm-options}), in the order the JVM reads them (for a repeated
 * option the last one wins): those of {@code conf/jvm-server.options}, then the node's memory
 * plan ({@link MemoryPlan#jvmOptions}: heap, direct memory, collector), then the operator's
 * ({@code RINGKV_NODE_JAVA_OPTS}, {@code RINGKV_JAVA_OPTS}). An {@code -Xmx} among the file's or
 * the operator's options is the heap the JVM will get, so the plan is made for it
 * ({@link #overrides}).
 */
public final class NodeJvmOptions {
    /** Where the options file lives under the ringkv home (the checkout or install directory). */
    public static final String OPTIONS_FILE = "conf/jvm-server.options";

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
     * Bytes in a size given on the command line ({@code --memory}, {@code --heap}) in the JVM's
     * syntax: a number with an optional k, m or g (binary units).
     *
     * @throws IllegalArgumentException naming {@code option}, for anything else
     */
    public static long parseSize(String text, String option) {
        return JvmMemoryOptions.parseSize(text).orElseThrow(
                () -> new IllegalArgumentException(option + " must be a size like 512m or 2g, got '" + text + "'"));
    }

    /**
     * The memory settings of the command line ({@code memory}, {@code heap}: null when not given),
     * except that the last {@code -Xmx} of {@code otherOptions} (the file's and the operator's,
     * which the JVM reads after the plan's) is the heap.
     */
    public static MemoryOverrides overrides(String memory, String heap, List<String> otherOptions) {
        OptionalLong memoryBytes = memory == null ? OptionalLong.empty()
                : OptionalLong.of(atLeast(parseSize(memory, "--memory"), MemoryBudget.MIN_MEMORY_BYTES, "--memory", memory));
        OptionalLong heapBytes = heap == null ? OptionalLong.empty()
                : OptionalLong.of(atLeast(parseSize(heap, "--heap"), MemoryBudget.MIN_HEAP_BYTES, "--heap", heap));
        String heapSource = "--heap";
        Optional<String> maxHeap = JvmMemoryOptions.lastMaxHeap(otherOptions);
        if (maxHeap.isPresent()) {
            heapBytes = OptionalLong.of(JvmMemoryOptions.maxHeapBytes(maxHeap.get()).orElseThrow(
                    () -> new IllegalArgumentException(maxHeap.get() + " is not a heap size like -Xmx512m")));
            heapSource = maxHeap.get();
        }
        return new MemoryOverrides(memoryBytes, heapBytes, heapSource);
    }

    private static long atLeast(long bytes, long min, String option, String text) {
        if (bytes < min) {
            throw new IllegalArgumentException(option + " must be at least " + JvmMemoryOptions.format(min) + ", got '" + text + "'");
        }
        return bytes;
    }

    /** Whitespace-separated options from an environment variable; none when it is unset or blank. */
    public static List<String> split(String options) {
        return options == null || options.isBlank() ? List.of() : List.of(options.strip().split("\\s+"));
    }

    /**
     * Options for the JDK running this process, which is the node's too: from JDK 24 on, the first
     * use of {@code sun.misc.Unsafe}'s memory access prints a four-line warning (JEP 498). Netty 4.1
     * allocates direct buffers with it, so every node log would start with that warning; the
     * option exists since JDK 23, so older JDKs get none (they would refuse to start).
     */
    static List<String> forThisJdk() {
        return Runtime.version().feature() >= 24 ? List.of("--sun-misc-unsafe-memory-access=allow") : List.of();
    }

    /**
     * The options for this JDK ({@link #forThisJdk}), the file's, the plan's, then the operator's:
     * the order in which the JVM gets them.
     */
    public static List<String> forNode(List<String> fileOptions, MemoryPlan plan, List<String> operatorOptions) {
        List<String> others = new ArrayList<>(fileOptions);
        others.addAll(operatorOptions);
        List<String> all = new ArrayList<>(forThisJdk());
        all.addAll(fileOptions);
        all.addAll(plan.jvmOptions(others));
        all.addAll(operatorOptions);
        return List.copyOf(all);
    }
}
