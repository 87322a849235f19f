package io.ringkv.server.config;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Memory settings from outside the configuration file, which win over {@code node.memory}: the
 * command line's {@code --memory} and {@code --heap}, or the {@code -Xmx} a node's JVM was given.
 *
 * @param memoryBytes {@code --memory}
 * @param heapBytes   {@code --heap} or {@code -Xmx}
 * @param heapSource  which of them, for errors
 */
public record MemoryOverrides(OptionalLong memoryBytes, OptionalLong heapBytes, String heapSource) {
    /** Nothing from outside the file. */
    public static final MemoryOverrides NONE = new MemoryOverrides(OptionalLong.empty(), OptionalLong.empty(), "--heap");

    public MemoryOverrides {
        Objects.requireNonNull(memoryBytes, "memoryBytes");
        Objects.requireNonNull(heapBytes, "heapBytes");
        Objects.requireNonNull(heapSource, "heapSource");
    }
}
