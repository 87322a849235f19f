package io.ringkv.storage.sstable;

import static io.ringkv.storage.sstable.TestTables.options;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.storage.Compression;
import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockCacheTest {
    /** A parsed block whose cache weight is about {@code contentBytes} + overhead. */
    static DataBlock blockOf(int contentBytes) {
        DataBlockBuilder b = new DataBlockBuilder(64);
        b.add(InternalEntry.of("k".getBytes(), 1, EntryKind.PUT, 0, new byte[Math.max(0, contentBytes - 32)]));
        byte[] content = b.finish();
        return DataBlock.parse(java.util.Arrays.copyOf(content, b.finishedLength()), b.finishedLength());
    }

    @Test
    void evictsLeastRecentlyUsedBlocksToStayWithinItsBytes() {
        DataBlock block = blockOf(1000);
        long weight = block.weightBytes() + BlockCache.ENTRY_OVERHEAD_BYTES;
        BlockCache cache = new BlockCache(weight * 10);
        assertThat(cache.shardCount()).isEqualTo(1);
        for (int i = 0; i < 10; i++) {
            cache.put(1, i * 1000L, block);
        }
        assertThat(cache.blockCount()).isEqualTo(10);
        assertThat(cache.sizeBytes()).isEqualTo(weight * 10);
        assertThat(cache.get(1, 0)).isSameAs(block); // block 0 becomes most recently used
        cache.put(1, 10_000, block);
        cache.put(2, 0, block);
        assertThat(cache.sizeBytes()).isLessThanOrEqualTo(cache.capacityBytes());
        assertThat(cache.blockCount()).isEqualTo(10);
        assertThat(cache.evictions()).isEqualTo(2);
        assertThat(cache.get(1, 0)).isNotNull();
        assertThat(cache.get(1, 1000)).isNull(); // the two least recently used went
        assertThat(cache.get(1, 2000)).isNull();
        assertThat(cache.get(1, 3000)).isNotNull();
        assertThat(cache.hits()).isEqualTo(3);
        assertThat(cache.misses()).isEqualTo(2);
    }

    @Test
    void blocksLargerThanAShardAreNotCachedAndZeroCapacityDisables() {
        BlockCache cache = new BlockCache(500);
        cache.put(1, 0, blockOf(1000));
        assertThat(cache.blockCount()).isZero();
        BlockCache off = new BlockCache(0);
        off.put(1, 0, blockOf(10));
        assertThat(off.get(1, 0)).isNull();
        assertThat(off.misses()).isEqualTo(1);
        assertThat(off.hits()).isZero();
    }

    @Test
    void largeCachesAreShardedAndEvictTableDropsOnlyThatTable() {
        assertThat(new BlockCache(256L << 20).shardCount()).isEqualTo(64);
        assertThat(new BlockCache(4L << 20).shardCount()).isEqualTo(4);
        BlockCache cache = new BlockCache(64L << 20);
        DataBlock block = blockOf(100);
        for (int i = 0; i < 1000; i++) {
            cache.put(i % 3, i * 4096L, block);
        }
        assertThat(cache.blockCount()).isEqualTo(1000);
        cache.evictTable(1);
        assertThat(cache.blockCount()).isEqualTo(667);
        for (int i = 0; i < 1000; i++) {
            assertThat(cache.get(i % 3, i * 4096L) != null).isEqualTo(i % 3 != 1);
        }
    }

    // The cache against a model: an access-ordered LinkedHashMap evicting eldest-first by bytes.
    @Property(tries = 200)
    void behavesLikeAnLruOfBytes(@ForAll("operations") List<int[]> ops) {
        long capacity = 20_000;
        BlockCache cache = new BlockCache(capacity);
        Map<Long, Long> model = new LinkedHashMap<>(16, 0.75f, true);
        long modelBytes = 0;
        DataBlock[] sizes = {blockOf(100), blockOf(1000), blockOf(3000), blockOf(25_000)};
        for (int[] op : ops) {
            long key = op[1];
            if (op[0] == 0) {
                boolean present = cache.get(7, key) != null;
                assertThat(present).isEqualTo(model.get(key) != null);
            } else {
                DataBlock block = sizes[op[2]];
                long weight = block.weightBytes() + BlockCache.ENTRY_OVERHEAD_BYTES;
                cache.put(7, key, block);
                if (weight <= capacity) {
                    if (model.get(key) == null) {
                        model.put(key, weight);
                        modelBytes += weight;
                        for (Iterator<Map.Entry<Long, Long>> it = model.entrySet().iterator(); modelBytes > capacity; ) {
                            modelBytes -= it.next().getValue();
                            it.remove();
                        }
                    }
                }
            }
            assertThat(cache.sizeBytes()).isEqualTo(modelBytes);
            assertThat(cache.blockCount()).isEqualTo(model.size());
        }
    }

    @Provide
    Arbitrary<List<int[]>> operations() {
        Arbitrary<int[]> op = net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 1), Arbitraries.integers().between(0, 40), Arbitraries.integers().between(0, 3))
                .as((kind, key, size) -> new int[] {kind, key, size});
        return op.list().ofMaxSize(300);
    }

    @Test
    void readersShareTheCacheAndIteratorsDoNotFillIt(@TempDir Path dir) {
        List<InternalEntry> entries = TestTables.randomEntries(new Random(4), 1000, 100);
        Path path = dir.resolve("1.sst");
        TestTables.write(path, entries, options(1024, Compression.LZ4, entries.size()));
        BlockCache cache = new BlockCache(16 << 20);
        ReadStats stats = new ReadStats();
        try (SSTableReader reader = SSTableReader.open(path, 1, cache, stats)) {
            assertThat(TestTables.drain(reader.iterator())).hasSize(entries.size());
            assertThat(cache.blockCount()).isZero();
            assertThat(stats.blockReads()).isEqualTo(reader.blockCount());

            InternalEntry e = entries.get(500);
            reader.get(e.token(), e.key());
            long readsAfterFirst = stats.blockReads();
            reader.get(e.token(), e.key());
            assertThat(stats.blockReads()).isEqualTo(readsAfterFirst);
            assertThat(cache.hits()).isEqualTo(1);
            assertThat(cache.blockCount()).isEqualTo(1);
            // an iterator now uses the one cached block instead of reading it again
            long before = stats.blockReads();
            TestTables.drain(reader.iterator());
            assertThat(stats.blockReads() - before).isEqualTo(reader.blockCount() - 1);
        }
    }
}
