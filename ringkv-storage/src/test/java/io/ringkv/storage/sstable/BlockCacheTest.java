package io.ringkv.storage.sstable;

import static io.ringkv.storage.sstable.TestTables.options;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.storage.Compression;
import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import java.nio.file.Path;
import java.util.List;
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
    void evictsByBytesGivingRecentlyUsedBlocksASecondChance() {
        DataBlock[] blocks = new DataBlock[20];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = blockOf(1000);
        }
        long weight = blocks[0].weightBytes() + BlockCache.ENTRY_OVERHEAD_BYTES;
        BlockCache cache = new BlockCache(weight * 10);
        assertThat(cache.shardCount()).isEqualTo(1);
        CachedBlocks table = new CachedBlocks(1, 20);
        for (int i = 0; i < 10; i++) {
            assertThat(cache.get(table, i)).isNull();
            assertThat(cache.admit(table, i, blocks[i])).isSameAs(blocks[i]);
        }
        assertThat(cache.blockCount()).isEqualTo(10);
        assertThat(cache.sizeBytes()).isEqualTo(weight * 10);
        for (int i = 0; i < 5; i++) {
            assertThat(cache.get(table, i)).isSameAs(blocks[i]); // 0..4 recently used
        }
        cache.preload(table, 10, blocks[10]); // admitted whatever their frequency: the clock alone decides
        cache.preload(table, 11, blocks[11]);
        assertThat(cache.sizeBytes()).isEqualTo(weight * 10).isLessThanOrEqualTo(cache.capacityBytes());
        assertThat(cache.evictions()).isEqualTo(2);
        for (int i = 0; i < 5; i++) {
            assertThat(cache.get(table, i)).as("recently used block %d", i).isSameAs(blocks[i]);
        }
        assertThat(cache.get(table, 5)).isNull(); // the first two never used since admission went
        assertThat(cache.get(table, 6)).isNull();
        assertThat(cache.get(table, 7)).isSameAs(blocks[7]);
        assertThat(cache.get(table, 11)).isSameAs(blocks[11]);
        assertThat(cache.hits()).isEqualTo(5 + 5 + 2);
        assertThat(cache.misses()).isEqualTo(10 + 2);
    }

    @Test
    void aFullCacheKeepsTheBlocksReadMostAndRejectsBlocksReadLess() {
        long weight = blockOf(1000).weightBytes() + BlockCache.ENTRY_OVERHEAD_BYTES;
        BlockCache cache = new BlockCache(weight * 10, 1000);
        CachedBlocks hot = new CachedBlocks(1, 10);
        for (int i = 0; i < 10; i++) {
            for (int lookup = 0; lookup < 3; lookup++) {
                if (cache.get(hot, i) == null) {
                    cache.admit(hot, i, blockOf(1000)); // not full yet: admitted on the first miss
                }
            }
        }
        assertThat(cache.blockCount()).isEqualTo(10);

        CachedBlocks scanned = new CachedBlocks(2, 100);
        for (int i = 0; i < 100; i++) {
            assertThat(cache.get(scanned, i)).isNull();
            DataBlock once = blockOf(1000);
            assertThat(cache.admit(scanned, i, once)).as("the block to use, uncached").isSameAs(once);
            assertThat(scanned.get(i)).isNull();
        }
        assertThat(cache.rejections()).isEqualTo(100);
        assertThat(cache.evictions()).isZero();
        for (int i = 0; i < 10; i++) {
            assertThat(cache.get(hot, i)).as("block read three times, %d", i).isNotNull();
        }

        CachedBlocks rising = new CachedBlocks(3, 1);
        for (int lookup = 0; lookup < 5; lookup++) {
            assertThat(cache.get(rising, 0)).isNull();
        }
        DataBlock popular = blockOf(1000);
        assertThat(cache.admit(rising, 0, popular)).isSameAs(popular);
        assertThat(rising.get(0)).as("read more often than the block it replaced").isSameAs(popular);
        assertThat(cache.evictions()).isEqualTo(1);
        assertThat(cache.blockCount()).isEqualTo(10);
    }

    @Test
    void aSecondCopyOfACachedBlockIsNotAdmitted() {
        BlockCache cache = new BlockCache(1 << 20);
        CachedBlocks table = new CachedBlocks(1, 4);
        DataBlock first = blockOf(100);
        assertThat(cache.admit(table, 2, first)).isSameAs(first);
        assertThat(cache.admit(table, 2, blockOf(100))).isSameAs(first);
        assertThat(cache.blockCount()).isEqualTo(1);
    }

    @Test
    void blocksLargerThanAShardAreNotCachedAndZeroCapacityDisables() {
        BlockCache cache = new BlockCache(500);
        CachedBlocks table = new CachedBlocks(1, 1);
        cache.admit(table, 0, blockOf(1000));
        assertThat(cache.blockCount()).isZero();
        assertThat(table.get(0)).isNull();
        BlockCache off = new BlockCache(0);
        off.admit(table, 0, blockOf(10));
        assertThat(off.get(table, 0)).isNull();
        assertThat(off.misses()).isEqualTo(1);
        assertThat(off.hits()).isZero();
    }

    @Test
    void aBlockIsCachedAtMostOnceAndTheCacheForgetsItsLinksWhenItIsEvicted() {
        BlockCache cache = new BlockCache(10_000);
        CachedBlocks table = new CachedBlocks(7, 40);
        DataBlock block = blockOf(1000);
        cache.admit(table, 0, block);
        assertThat(cache.admit(table, 1, block)).as("one object, one slot").isSameAs(block);
        assertThat(table.get(1)).isNull();
        assertThat(cache.blockCount()).isEqualTo(1);
        for (int i = 2; i < 40; i++) {
            cache.preload(table, i, blockOf(1000)); // 10,000 bytes hold fewer than ten: pushes the first out
        }
        assertThat(table.get(0)).isNull();
        assertThat(block.prev).as("an evicted block links to no live block").isNull();
        assertThat(block.next).isNull();
    }

    @Test
    void largeCachesAreShardedAndReleaseDropsOnlyThatTable() {
        assertThat(new BlockCache(256L << 20).shardCount()).isEqualTo(64);
        assertThat(new BlockCache(4L << 20).shardCount()).isEqualTo(4);
        BlockCache cache = new BlockCache(64L << 20);
        DataBlock block = blockOf(100);
        CachedBlocks[] tables = {new CachedBlocks(0, 400), new CachedBlocks(1, 400), new CachedBlocks(2, 400)};
        for (CachedBlocks t : tables) {
            for (int i = 0; i < 400; i++) {
                cache.admit(t, i, blockOf(100)); // each block read from disk is its own object
            }
        }
        assertThat(cache.blockCount()).isEqualTo(1200);
        cache.release(tables[1]);
        assertThat(cache.blockCount()).isEqualTo(800);
        assertThat(cache.sizeBytes()).isEqualTo(800L * (block.weightBytes() + BlockCache.ENTRY_OVERHEAD_BYTES));
        cache.admit(tables[1], 0, blockOf(100));
        assertThat(tables[1].get(0)).as("a released table admits nothing").isNull();
        for (int i = 0; i < 400; i++) {
            assertThat(tables[0].get(i)).isNotNull();
            assertThat(tables[1].get(i)).isNull();
            assertThat(tables[2].get(i)).isNotNull();
        }
    }

    // Whatever the sequence of admits, hits and releases: the cache stays within its bytes, its
    // accounting matches the filled slots exactly, released tables hold nothing, and a block
    // just admitted (if it fits) is cached.
    @Property(tries = 300)
    void keepsItsAccountingExact(@ForAll("operations") List<int[]> ops) {
        long capacity = 20_000;
        BlockCache cache = new BlockCache(capacity);
        CachedBlocks[] tables = {new CachedBlocks(1, 40), new CachedBlocks(2, 40), new CachedBlocks(3, 40)};
        int[] sizes = {100, 1000, 3000, 25_000};
        for (int[] op : ops) {
            CachedBlocks t = tables[op[3]];
            switch (op[0]) {
                case 0 -> cache.get(t, op[1]);
                case 1 -> {
                    DataBlock block = blockOf(sizes[op[2]]);
                    DataBlock used = cache.admit(t, op[1], block);
                    DataBlock cached = t.get(op[1]);
                    assertThat(cached == null || cached == used).as("the block to use is the cached one, if any").isTrue();
                }
                case 2 -> {
                    DataBlock block = blockOf(sizes[op[2]]);
                    DataBlock used = cache.preload(t, op[1], block);
                    boolean fits = block.weightBytes() + BlockCache.ENTRY_OVERHEAD_BYTES <= capacity;
                    if (fits && !t.closed) {
                        assertThat(t.get(op[1])).isSameAs(used);
                    }
                }
                default -> {
                    if (op[1] % 10 == 0) {
                        cache.release(t);
                    }
                }
            }
            long expectedBytes = 0;
            int expectedCount = 0;
            for (CachedBlocks table : tables) {
                for (int i = 0; i < table.size(); i++) {
                    DataBlock b = table.get(i);
                    if (b != null) {
                        assertThat(table.closed).isFalse();
                        expectedBytes += b.weightBytes() + BlockCache.ENTRY_OVERHEAD_BYTES;
                        expectedCount++;
                    }
                }
            }
            assertThat(cache.sizeBytes()).isEqualTo(expectedBytes).isLessThanOrEqualTo(capacity);
            assertThat(cache.blockCount()).isEqualTo(expectedCount);
        }
    }

    @Provide
    Arbitrary<List<int[]>> operations() {
        Arbitrary<int[]> op = net.jqwik.api.Combinators.combine(
                        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 39),
                        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 2))
                .as((kind, slot, size, table) -> new int[] {kind, slot, size, table});
        return op.list().ofMaxSize(300);
    }

    @Test
    void concurrentAdmitsAndHitsKeepTheAccountingExact() throws Exception {
        BlockCache cache = new BlockCache(30_000);
        CachedBlocks[] tables = {new CachedBlocks(1, 64), new CachedBlocks(2, 64), new CachedBlocks(3, 64)};
        int[] sizes = {100, 1000, 3000};
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int seed = t;
            threads.add(Thread.ofPlatform().start(() -> {
                Random rnd = new Random(seed);
                for (int i = 0; i < 50_000; i++) {
                    CachedBlocks table = tables[rnd.nextInt(tables.length)];
                    int slot = rnd.nextInt(64);
                    if (cache.get(table, slot) == null) {
                        cache.admit(table, slot, blockOf(sizes[rnd.nextInt(sizes.length)]));
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join(60_000);
        }
        long filledBytes = 0;
        int filled = 0;
        for (CachedBlocks table : tables) {
            for (int i = 0; i < table.size(); i++) {
                if (table.get(i) != null) {
                    filledBytes += table.get(i).weightBytes() + BlockCache.ENTRY_OVERHEAD_BYTES;
                    filled++;
                }
            }
        }
        assertThat(cache.sizeBytes()).isEqualTo(filledBytes).isLessThanOrEqualTo(30_000);
        assertThat(cache.blockCount()).isEqualTo(filled);
        assertThat(cache.hits() + cache.misses()).isEqualTo(4 * 50_000);
        assertThat(cache.evictions()).isPositive();
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
