package io.ringkv.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Divides one node's memory ({@code node.memory}, {@code --memory}) into the JVM's limits and the
 * storage engine's caches: a pure function from what the operator said to a {@link MemoryPlan}.
 * The launchers ({@code bin/ringkv server}, {@code cluster start}) turn the plan into JVM options;
 * the node sizes its block cache and memtables from it.
 *
 * <p>Why one setting: a node's resident memory is its heap plus what the JVM needs beside it, and
 * the caches live in the heap, so four separately configured sizes either wasted memory (nodes of
 * a 1 GiB heap were 835 MiB resident under YCSB, for a data set of tens of MiB) or could not fit
 * together. The division:
 * <pre>
 *   memory = heap + direct + JVM_OVERHEAD      direct = max(MIN_DIRECT, heap / 4)
 *   heap   = block cache (heap / 4) + memtables (1 + 2 immutable) x heap / 16 + hint store + the rest
 * </pre>
 * {@link #JVM_OVERHEAD_BYTES} is measured (docs/configuration.md, "Memory", has the Native Memory
 * Tracking breakdown). The heap fractions are those the defaults had with the 1 GiB heap local
 * nodes ran with (a 256 MiB block cache, 64 MiB memtables), so a 1 GiB heap is sized as before.
 * Explicit sizes (a heap, {@code storage.blockCacheSize}, {@code storage.memtableSize},
 * {@code storage.maxImmutableMemtables}) replace the derived ones, and a combination that cannot
 * fit is refused with the sizes that do not.
 */
public final class MemoryBudget {
    private static final long MIB = 1L << 20;
    /** What a node uses when nothing says otherwise: its peak resident memory under YCSB stays below it. */
    public static final long DEFAULT_MEMORY_BYTES = 300 * MIB;
    /**
     * The JVM's own resident memory beside heap and direct buffers: 108 MiB measured under YCSB
     * with the serial collector (docs/configuration.md, "Memory"): class metadata (29 MiB), JIT
     * code (23 MiB), the CDS archive (14 MiB), symbols, threads and the JVM's other bookkeeping
     * (11 MiB), the JVM's and native libraries' code (23 MiB), malloc's own overhead (9 MiB).
     */
    static final long JVM_OVERHEAD_BYTES = 112 * MIB;
    /** Netty sizes its pool from the direct limit: below 24 MiB it keeps no pooled direct arena at all. */
    static final long MIN_DIRECT_BYTES = 32 * MIB;
    /** Below this even the smallest caches would crowd out requests. */
    public static final long MIN_HEAP_BYTES = 128 * MIB;
    /** The smallest budget with the smallest heap. */
    public static final long MIN_MEMORY_BYTES = MIN_HEAP_BYTES + MIN_DIRECT_BYTES + JVM_OVERHEAD_BYTES;
    /**
     * Below this heap the serial collector, from it G1 (docs/configuration.md, "Memory"): G1's own
     * structures cost 30-40 MiB whatever the heap, while a serial full collection grows with the
     * live data (72 ms for 53 MiB measured; a 512 MiB heap with full caches holds ~250 MiB).
     */
    static final long G1_MIN_HEAP_BYTES = 512 * MIB;
    /** Larger memtables only lengthen flushes and commit log replay. */
    static final long MAX_DERIVED_MEMTABLE_BYTES = 256 * MIB;
    /** Caches and memtables may fill at most this share of the heap; the rest is requests' and the collector's. */
    static final double MAX_CACHED_SHARE = 2.0 / 3;
    static final int DERIVED_IMMUTABLE_MEMTABLES = 2;

    private MemoryBudget() {
    }

    /**
     * What the operator said: each absent value is derived.
     *
     * @param memoryBytes           {@code --memory} or {@code node.memory}
     * @param memorySource          how to name the memory setting in errors ({@code node.memory}, {@code --memory})
     * @param heapBytes             {@code --heap}, or the {@code -Xmx} the JVM was given
     * @param heapSource            how to name the heap setting in errors ({@code --heap}, {@code -Xmx})
     * @param blockCacheBytes       {@code storage.blockCacheSize}
     * @param memtableBytes         {@code storage.memtableSize}
     * @param maxImmutableMemtables {@code storage.maxImmutableMemtables}
     */
    public record Request(OptionalLong memoryBytes, String memorySource, OptionalLong heapBytes, String heapSource,
                          OptionalLong blockCacheBytes, OptionalLong memtableBytes, OptionalInt maxImmutableMemtables) {

        /** Nothing explicit: every size from the default budget. */
        public static Request defaults() {
            return new Request(OptionalLong.empty(), "node.memory", OptionalLong.empty(), "--heap", OptionalLong.empty(),
                    OptionalLong.empty(), OptionalInt.empty());
        }
    }

    /**
     * The plan for {@code request}.
     *
     * @throws ConfigException naming the settings, for a budget or heap below the minimum, a heap
     *                         that does not fit the budget, or caches that do not fit the heap
     */
    public static MemoryPlan plan(Request request) {
        long heap;
        long memory;
        if (request.heapBytes().isPresent()) {
            heap = request.heapBytes().getAsLong();
            if (heap < MIN_HEAP_BYTES) {
                throw new ConfigException(request.heapSource() + ": the heap must be at least " + MemoryPlan.mib(MIN_HEAP_BYTES)
                        + ", got " + MemoryPlan.mib(heap));
            }
            long needed = heap + directFor(heap) + JVM_OVERHEAD_BYTES;
            memory = request.memoryBytes().orElse(Math.max(DEFAULT_MEMORY_BYTES, needed));
            if (needed > memory) {
                throw new ConfigException(request.heapSource() + ": a heap of " + MemoryPlan.mib(heap) + " needs a memory of "
                        + MemoryPlan.mib(needed) + " (with " + MemoryPlan.mib(directFor(heap)) + " of direct buffers and about "
                        + MemoryPlan.mib(JVM_OVERHEAD_BYTES) + " for the JVM itself), more than " + request.memorySource() + " "
                        + MemoryPlan.mib(memory) + "; raise " + request.memorySource() + ", or leave the heap to it");
            }
        } else {
            memory = request.memoryBytes().orElse(DEFAULT_MEMORY_BYTES);
            if (memory < MIN_MEMORY_BYTES) {
                throw new ConfigException(request.memorySource() + ": must be at least " + MemoryPlan.mib(MIN_MEMORY_BYTES)
                        + " (a heap of " + MemoryPlan.mib(MIN_HEAP_BYTES) + ", " + MemoryPlan.mib(MIN_DIRECT_BYTES)
                        + " of direct buffers and about " + MemoryPlan.mib(JVM_OVERHEAD_BYTES) + " for the JVM itself), got "
                        + MemoryPlan.mib(memory));
            }
            heap = heapFor(memory);
        }
        long blockCache = request.blockCacheBytes().orElse(wholeMib(heap / 4));
        long memtable = request.memtableBytes().orElse(Math.max(MIB, Math.min(MAX_DERIVED_MEMTABLE_BYTES, wholeMib(heap / 16))));
        int immutables = request.maxImmutableMemtables().orElse(DERIVED_IMMUTABLE_MEMTABLES);
        long hintMemtable = Math.max(Math.min(MIB, memtable), wholeMib(memtable / 4));
        long hintBlockCache = wholeMib(blockCache / 16);
        MemoryPlan plan = new MemoryPlan(memory, heap, directFor(heap),
                heap < G1_MIN_HEAP_BYTES ? MemoryPlan.Collector.SERIAL : MemoryPlan.Collector.G1,
                blockCache, memtable, immutables, hintMemtable, hintBlockCache);
        requireCachesFit(plan, request);
        return plan;
    }

    /**
     * The largest heap whose direct buffers and JVM overhead fit in {@code memory}, a multiple of
     * 2 MiB (the JVM rounds its heap up to one).
     */
    static long heapFor(long memory) {
        long beside = memory - JVM_OVERHEAD_BYTES;
        long heap = beside - MIN_DIRECT_BYTES <= 4 * MIN_DIRECT_BYTES ? beside - MIN_DIRECT_BYTES : beside / 5 * 4;
        return heap / (2 * MIB) * (2 * MIB);
    }

    static long directFor(long heap) {
        return Math.max(MIN_DIRECT_BYTES, wholeMib(heap / 4));
    }

    private static long wholeMib(long bytes) {
        return bytes / MIB * MIB;
    }

    private static void requireCachesFit(MemoryPlan plan, Request request) {
        long limit = (long) (plan.heapBytes() * MAX_CACHED_SHARE);
        if (plan.cachedBytes() <= limit) {
            return;
        }
        List<String> explicit = new ArrayList<>();
        request.blockCacheBytes().ifPresent(b -> explicit.add("storage.blockCacheSize"));
        request.memtableBytes().ifPresent(b -> explicit.add("storage.memtableSize"));
        request.maxImmutableMemtables().ifPresent(b -> explicit.add("storage.maxImmutableMemtables"));
        String heap = request.heapBytes().isPresent() ? "the heap of " + MemoryPlan.mib(plan.heapBytes()) + " (" + request.heapSource() + ")"
                : "the " + MemoryPlan.mib(plan.heapBytes()) + " heap of " + request.memorySource() + " " + MemoryPlan.mib(plan.memoryBytes());
        throw new ConfigException((explicit.isEmpty() ? "storage" : String.join(", ", explicit)) + ": a block cache of "
                + MemoryPlan.mib(plan.blockCacheBytes()) + " and " + (1 + plan.maxImmutableMemtables()) + " memtables of "
                + MemoryPlan.mib(plan.memtableBytes()) + " (with the hint store's " + MemoryPlan.mib(plan.hintBlockCacheBytes()
                + (1 + MemoryPlan.HINT_IMMUTABLE_MEMTABLES) * plan.hintMemtableBytes()) + ") need " + MemoryPlan.mib(plan.cachedBytes())
                + " of heap, but they may fill at most 2/3 of " + heap + ", " + MemoryPlan.mib(limit)
                + "; lower them or raise the memory");
    }
}
