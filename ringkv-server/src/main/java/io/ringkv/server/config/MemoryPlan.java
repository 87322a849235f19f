package io.ringkv.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How one node's memory is divided, as {@link MemoryBudget} decided it: the JVM's limits (heap,
 * direct buffers, collector) and, within the heap, the storage engine's caches. Every size is a
 * whole number of MiB. docs/configuration.md, "Memory", explains each part.
 *
 * @param memoryBytes           the node's whole budget: {@code node.memory}, or implied by an explicit heap
 * @param heapBytes             {@code -Xms} = {@code -Xmx}
 * @param directBytes           {@code -XX:MaxDirectMemorySize}: Netty's pooled buffers and NIO's
 * @param collector             the garbage collector the plan asks for
 * @param blockCacheBytes       the store's block cache ({@code storage.blockCacheSize})
 * @param memtableBytes         the store's memtable flush threshold ({@code storage.memtableSize})
 * @param maxImmutableMemtables memtables waiting to flush ({@code storage.maxImmutableMemtables})
 * @param hintMemtableBytes     the hint store's memtable flush threshold (it keeps one waiting to flush)
 * @param hintBlockCacheBytes   the hint store's block cache
 */
public record MemoryPlan(
        long memoryBytes,
        long heapBytes,
        long directBytes,
        Collector collector,
        long blockCacheBytes,
        long memtableBytes,
        int maxImmutableMemtables,
        long hintMemtableBytes,
        long hintBlockCacheBytes) {

    /** Memtables the hint store keeps waiting to flush: hints are written only while a replica is away. */
    public static final int HINT_IMMUTABLE_MEMTABLES = 1;
    /**
     * A cap on class metadata (a node uses about 28 MiB), so that a class leak stops the node
     * instead of growing it. The JIT's code cache (about 21 MiB) is left at the JVM's default:
     * capped at 64 MiB it cost the serial collector a full collection ("CodeCache GC Threshold",
     * 70-180 ms) during every warm-up, the JVM collecting to unload code sooner in a smaller cache.
     */
    static final long MAX_METASPACE_BYTES = 96L << 20;

    /** The collectors a plan chooses between (docs/configuration.md, "Memory", says when each). */
    public enum Collector {
        SERIAL("-XX:+UseSerialGC"), G1("-XX:+UseG1GC");

        final String option;

        Collector(String option) {
            this.option = option;
        }
    }

    public MemoryPlan {
        Objects.requireNonNull(collector, "collector");
    }

    /** Heap the store's and the hint store's caches and memtables may fill at most. */
    public long cachedBytes() {
        return blockCacheBytes + memtableBytes * (1 + maxImmutableMemtables)
                + hintBlockCacheBytes + hintMemtableBytes * (1 + HINT_IMMUTABLE_MEMTABLES);
    }

    /**
     * The JVM options that enforce this plan: a fixed heap, the direct memory limit, a cap on
     * metaspace, and the collector, unless {@code otherOptions} (the options
     * file's and the operator's, which come after these and win) already choose one: the JVM
     * refuses two.
     */
    public List<String> jvmOptions(List<String> otherOptions) {
        List<String> options = new ArrayList<>(List.of(
                "-Xms" + JvmMemoryOptions.format(heapBytes),
                "-Xmx" + JvmMemoryOptions.format(heapBytes),
                "-XX:MaxDirectMemorySize=" + JvmMemoryOptions.format(directBytes),
                "-XX:MaxMetaspaceSize=" + JvmMemoryOptions.format(MAX_METASPACE_BYTES)));
        if (!JvmMemoryOptions.choosesCollector(otherOptions)) {
            options.add(collector.option);
        }
        return List.copyOf(options);
    }

    /** One line for the node's log: where each part of the budget goes (the collector is the JVM's to say). */
    public String describe() {
        return "memory " + mib(memoryBytes) + ": heap " + mib(heapBytes) + " holding a block cache of " + mib(blockCacheBytes) + " and up to " + (1 + maxImmutableMemtables)
                + " memtables of " + mib(memtableBytes) + " (the hint store: " + mib(hintBlockCacheBytes) + " and "
                + (1 + HINT_IMMUTABLE_MEMTABLES) + " of " + mib(hintMemtableBytes) + "); direct buffers up to "
                + mib(directBytes) + "; the JVM itself about " + mib(MemoryBudget.JVM_OVERHEAD_BYTES);
    }

    /** A size for people: exact binary units when it has them, else rounded to MiB. */
    static String mib(long bytes) {
        long mib = 1L << 20;
        return bytes % mib == 0 || bytes < mib ? ConfigUnits.formatBytes(bytes) : Math.round((double) bytes / mib) + "MiB";
    }
}
