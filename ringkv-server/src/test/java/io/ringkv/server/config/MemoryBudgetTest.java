package io.ringkv.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** How a node's memory is divided: budget to JVM options and cache sizes, explicit sizes, and refusals. */
class MemoryBudgetTest {
    private static final long MIB = 1L << 20;

    private static MemoryBudget.Request memory(long mib) {
        return new MemoryBudget.Request(OptionalLong.of(mib * MIB), "node.memory", OptionalLong.empty(), "--heap",
                OptionalLong.empty(), OptionalLong.empty(), OptionalInt.empty());
    }

    private static MemoryBudget.Request heap(long mib) {
        return new MemoryBudget.Request(OptionalLong.empty(), "node.memory", OptionalLong.of(mib * MIB), "--heap",
                OptionalLong.empty(), OptionalLong.empty(), OptionalInt.empty());
    }

    @Test
    void the_default_300_mib_node() {
        MemoryPlan plan = MemoryBudget.plan(MemoryBudget.Request.defaults());

        assertThat(plan).isEqualTo(new MemoryPlan(300 * MIB, 150 * MIB, 37 * MIB, MemoryPlan.Collector.SERIAL,
                37 * MIB, 9 * MIB, 2, 2 * MIB, 2 * MIB));
        assertThat(plan.jvmOptions(List.of())).containsExactly("-Xms150m", "-Xmx150m", "-XX:MaxDirectMemorySize=37m",
                "-XX:MaxMetaspaceSize=96m", "-XX:+UseSerialGC");
        assertThat(plan.describe()).isEqualTo("memory 300MiB: heap 150MiB holding a block cache of 37MiB"
                + " and up to 3 memtables of 9MiB (the hint store: 2MiB and 2 of 2MiB); direct buffers up to 37MiB;"
                + " the JVM itself about 112MiB");
    }

    @Test
    void a_1_gib_heap_gets_the_caches_every_node_had_before_and_g1() {
        MemoryPlan plan = MemoryBudget.plan(heap(1024));

        assertThat(plan.blockCacheBytes()).isEqualTo(256 * MIB);
        assertThat(plan.memtableBytes()).isEqualTo(64 * MIB);
        assertThat(plan.maxImmutableMemtables()).isEqualTo(2);
        assertThat(plan.collector()).isEqualTo(MemoryPlan.Collector.G1);
        assertThat(plan.directBytes()).isEqualTo(256 * MIB);
        assertThat(plan.memoryBytes()).as("implied by the heap").isEqualTo((1024 + 256 + 112) * MIB);
    }

    @Test
    void the_smallest_budget_has_the_smallest_heap_and_direct_limit() {
        MemoryPlan plan = MemoryBudget.plan(memory(272));

        assertThat(plan.heapBytes()).isEqualTo(128 * MIB);
        assertThat(plan.directBytes()).isEqualTo(32 * MIB);
        assertThatThrownBy(() -> MemoryBudget.plan(memory(271))).isInstanceOf(ConfigException.class)
                .hasMessage("node.memory: must be at least 272MiB (a heap of 128MiB, 32MiB of direct buffers and about 112MiB"
                        + " for the JVM itself), got 271MiB");
    }

    @Test
    void large_nodes_get_four_fifths_of_what_the_jvm_leaves_and_memtables_of_at_most_256_mib() {
        MemoryPlan plan = MemoryBudget.plan(memory(64 * 1024));

        assertThat(plan.heapBytes()).isEqualTo((64 * 1024 - 112) * 4 / 5 / 2 * 2 * MIB);
        assertThat(plan.directBytes()).isEqualTo(plan.heapBytes() / 4 / MIB * MIB);
        assertThat(plan.memtableBytes()).isEqualTo(256 * MIB);
        assertThat(plan.blockCacheBytes()).isEqualTo(plan.heapBytes() / 4 / MIB * MIB);
    }

    @Test
    void an_explicit_heap_must_fit_an_explicit_memory() {
        MemoryBudget.Request both = new MemoryBudget.Request(OptionalLong.of(2048 * MIB), "--memory",
                OptionalLong.of(1024 * MIB), "-Xmx1g", OptionalLong.empty(), OptionalLong.empty(), OptionalInt.empty());
        assertThat(MemoryBudget.plan(both).heapBytes()).isEqualTo(1024 * MIB);
        assertThat(MemoryBudget.plan(both).memoryBytes()).isEqualTo(2048 * MIB);

        MemoryBudget.Request tooBig = new MemoryBudget.Request(OptionalLong.of(300 * MIB), "node.memory",
                OptionalLong.of(1024 * MIB), "--heap", OptionalLong.empty(), OptionalLong.empty(), OptionalInt.empty());
        assertThatThrownBy(() -> MemoryBudget.plan(tooBig)).isInstanceOf(ConfigException.class)
                .hasMessage("--heap: a heap of 1GiB needs a memory of 1392MiB (with 256MiB of direct buffers and about 112MiB for"
                        + " the JVM itself), more than node.memory 300MiB; raise node.memory, or leave the heap to it");
        assertThatThrownBy(() -> MemoryBudget.plan(heap(100))).hasMessage("--heap: the heap must be at least 128MiB, got 100MiB");
    }

    @Test
    void a_small_explicit_heap_keeps_the_default_budget_as_its_memory() {
        assertThat(MemoryBudget.plan(heap(128)).memoryBytes()).isEqualTo(300 * MIB);
    }

    @Test
    void explicit_cache_and_memtable_sizes_replace_the_derived_ones() {
        MemoryPlan plan = MemoryBudget.plan(new MemoryBudget.Request(OptionalLong.empty(), "node.memory", OptionalLong.empty(),
                "--heap", OptionalLong.of(64 * MIB), OptionalLong.of(4 * MIB), OptionalInt.of(3)));

        assertThat(plan.heapBytes()).isEqualTo(150 * MIB);
        assertThat(plan.blockCacheBytes()).isEqualTo(64 * MIB);
        assertThat(plan.memtableBytes()).isEqualTo(4 * MIB);
        assertThat(plan.maxImmutableMemtables()).isEqualTo(3);
        assertThat(plan.hintMemtableBytes()).isEqualTo(MIB);
        assertThat(plan.hintBlockCacheBytes()).isEqualTo(4 * MIB);
    }

    @Test
    void the_hint_stores_memtable_is_never_larger_than_the_stores() {
        MemoryPlan plan = MemoryBudget.plan(new MemoryBudget.Request(OptionalLong.empty(), "node.memory", OptionalLong.empty(),
                "--heap", OptionalLong.empty(), OptionalLong.of(8192), OptionalInt.empty()));

        assertThat(plan.hintMemtableBytes()).isEqualTo(8192);
    }

    @Test
    void caches_that_cannot_fit_the_heap_are_refused_naming_the_explicit_keys() {
        MemoryBudget.Request request = new MemoryBudget.Request(OptionalLong.empty(), "node.memory", OptionalLong.empty(),
                "--heap", OptionalLong.of(256 * MIB), OptionalLong.of(64 * MIB), OptionalInt.empty());

        assertThatThrownBy(() -> MemoryBudget.plan(request)).isInstanceOf(ConfigException.class)
                .hasMessage("storage.blockCacheSize, storage.memtableSize: a block cache of 256MiB and 3 memtables of 64MiB"
                        + " (with the hint store's 48MiB) need 496MiB of heap, but they may fill at most 2/3 of the 150MiB heap"
                        + " of node.memory 300MiB, 100MiB; lower them or raise the memory");
    }

    @Property(tries = 300)
    void every_budget_fits_its_jvm_and_its_caches_fit_the_heap(@ForAll @LongRange(min = 272, max = 1 << 20) long mib) {
        MemoryPlan plan = MemoryBudget.plan(memory(mib));

        assertThat(plan.heapBytes() + plan.directBytes() + MemoryBudget.JVM_OVERHEAD_BYTES).isLessThanOrEqualTo(mib * MIB);
        assertThat(plan.heapBytes() % (2 * MIB)).as("the JVM's heap alignment").isZero();
        assertThat(plan.cachedBytes()).isLessThanOrEqualTo(plan.heapBytes() * 2 / 3);
        MemoryPlan fromHeap = MemoryBudget.plan(heap(plan.heapBytes() / MIB));
        assertThat(fromHeap).as("the heap alone gives the same sizes").usingRecursiveComparison().ignoringFields("memoryBytes")
                .isEqualTo(plan);
        assertThat(fromHeap.memoryBytes()).isLessThanOrEqualTo(Math.max(plan.memoryBytes(), MemoryBudget.DEFAULT_MEMORY_BYTES));
    }
}
