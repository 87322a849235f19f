package io.ringkv.storage.sstable;

import static io.ringkv.storage.sstable.TestTables.describe;
import static io.ringkv.storage.sstable.TestTables.drain;
import static io.ringkv.storage.sstable.TestTables.options;
import static io.ringkv.storage.sstable.TestTables.withToken;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.storage.Compression;
import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import io.ringkv.storage.format.KeyOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SSTableRoundTripTest {
    @TempDir
    Path dir;

    private final BlockCache cache = new BlockCache(4 << 20);
    private final ReadStats stats = new ReadStats();

    @ParameterizedTest
    @EnumSource(Compression.class)
    void everyEntryIsFoundAndIteratedInOrder(Compression compression) {
        Random rnd = new Random(42);
        List<InternalEntry> entries = TestTables.randomEntries(rnd, 3000, 300);
        Path path = dir.resolve("1.sst");
        SSTableMetadata written = TestTables.write(path, entries, options(512, compression, entries.size()));

        try (SSTableReader reader = SSTableReader.open(path, 1, cache, stats)) {
            assertThat(reader.blockCount()).isGreaterThan(100);
            for (InternalEntry e : entries) {
                assertThat(describe(reader.get(e.token(), e.key()))).isEqualTo(describe(e));
            }
            for (int i = 0; i < 3000; i++) {
                byte[] key = ("absent-" + i).getBytes();
                assertThat(reader.get(KeyOrder.token(key), key)).isNull();
            }
            assertThat(describe(drain(reader.iterator()))).isEqualTo(describe(entries));
            assertMetadata(reader.metadata(), entries, Files.size(path));
            assertMetadata(written, entries, Files.size(path));
            assertThat(reader.metadata().dataBytes()).isEqualTo(written.dataBytes());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertMetadata(SSTableMetadata m, List<InternalEntry> entries, long fileSize) {
        assertThat(m.entryCount()).isEqualTo(entries.size());
        assertThat(m.tombstoneCount()).isEqualTo(entries.stream().filter(e -> e.kind() == EntryKind.DELETE).count());
        assertThat(m.minSeq()).isEqualTo(entries.stream().mapToLong(InternalEntry::seq).min().orElseThrow());
        assertThat(m.maxSeq()).isEqualTo(entries.stream().mapToLong(InternalEntry::seq).max().orElseThrow());
        assertThat(m.minTimestampMillis()).isEqualTo(entries.stream().mapToLong(InternalEntry::timestampMillis).min().orElseThrow());
        assertThat(m.maxTimestampMillis()).isEqualTo(entries.stream().mapToLong(InternalEntry::timestampMillis).max().orElseThrow());
        assertThat(m.firstToken()).isEqualTo(entries.getFirst().token());
        assertThat(m.firstKey()).isEqualTo(entries.getFirst().key());
        assertThat(m.lastToken()).isEqualTo(entries.getLast().token());
        assertThat(m.lastKey()).isEqualTo(entries.getLast().key());
        assertThat(m.fileSizeBytes()).isEqualTo(fileSize);
        assertThat(m.dataBytes()).isPositive().isLessThan(fileSize);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void iteratorFromReturnsExactlyTheEntriesAboveTheToken(Compression compression) {
        Random rnd = new Random(7);
        List<InternalEntry> entries = TestTables.randomEntries(rnd, 800, 100);
        Path path = dir.resolve("2.sst");
        TestTables.write(path, entries, options(300, compression, entries.size()));

        List<byte[]> froms = new ArrayList<>();
        froms.add(TestTables.token(0x00));
        froms.add(TestTables.token(0xFF));
        froms.add(TestTables.token(0x80));
        froms.add(TestTables.token(0x7F));
        for (int i = 0; i < 100; i++) {
            byte[] t = new byte[16];
            rnd.nextBytes(t);
            froms.add(t);
        }
        for (int i = 0; i < entries.size(); i += 37) {
            byte[] t = entries.get(i).token();
            froms.add(t);
            froms.add(minusOne(t));
        }
        froms.add(entries.getFirst().token());
        froms.add(minusOne(entries.getFirst().token()));
        froms.add(entries.getLast().token());
        froms.add(minusOne(entries.getLast().token()));

        try (SSTableReader reader = SSTableReader.open(path, 2, cache, stats)) {
            for (byte[] from : froms) {
                List<InternalEntry> expected = entries.stream()
                        .filter(e -> Arrays.compareUnsigned(e.token(), from) > 0).toList();
                assertThat(describe(drain(reader.iteratorFrom(from))))
                        .as("from %s", java.util.HexFormat.of().formatHex(from))
                        .isEqualTo(describe(expected));
            }
        }
    }

    private static byte[] minusOne(byte[] token) {
        byte[] t = token.clone();
        for (int i = t.length - 1; i >= 0; i--) {
            if (t[i]-- != 0) {
                break;
            }
        }
        return t;
    }

    @Test
    void tokensAtTheEdgesOfTheRingAndSharedTokens() {
        // Entries whose tokens sit at 0 and 2^128-1, plus many keys sharing one token across
        // several blocks: the index must fall back to key order when last tokens tie.
        List<InternalEntry> entries = new ArrayList<>();
        entries.add(withToken(TestTables.token(0x00), "zero-a", 1));
        entries.add(withToken(TestTables.token(0x00), "zero-b", 2));
        for (int i = 0; i < 200; i++) {
            entries.add(withToken(TestTables.token(0x55), String.format("shared-%04d", i), i));
        }
        entries.add(withToken(TestTables.token(0xFF), "max", 3));
        entries.sort(InternalEntry.ORDER);
        Path path = dir.resolve("3.sst");
        TestTables.write(path, entries, options(128, Compression.LZ4, entries.size()));

        try (SSTableReader reader = SSTableReader.open(path, 3, cache, stats)) {
            assertThat(reader.blockCount()).isGreaterThan(10);
            for (InternalEntry e : entries) {
                assertThat(describe(reader.get(e.token(), e.key()))).isEqualTo(describe(e));
            }
            assertThat(reader.get(TestTables.token(0x55), "shared-9999".getBytes())).isNull();
            assertThat(reader.get(TestTables.token(0x55), "shared-0050x".getBytes())).isNull();
            assertThat(reader.get(TestTables.token(0x55), "a".getBytes())).isNull();
            assertThat(drain(reader.iteratorFrom(TestTables.token(0xFF)))).isEmpty();
            assertThat(describe(drain(reader.iteratorFrom(TestTables.token(0x00)))))
                    .isEqualTo(describe(entries.subList(2, entries.size())));
            assertThat(describe(drain(reader.iteratorFrom(TestTables.token(0x55)))))
                    .containsExactly(describe(entries.getLast()));
            assertThat(describe(drain(reader.iteratorFrom(TestTables.token(0x54)))))
                    .isEqualTo(describe(entries.subList(2, entries.size())));
            byte[] justBelowMax = TestTables.token(0xFF);
            justBelowMax[15] = (byte) 0xFE;
            assertThat(describe(drain(reader.iteratorFrom(justBelowMax)))).containsExactly(describe(entries.getLast()));
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void emptyValuesLargeValuesAndEmptyKeys(Compression compression) {
        int blockSize = 4096;
        Random rnd = new Random(3);
        List<InternalEntry> entries = new ArrayList<>();
        int[] sizes = {0, 1, blockSize - 40, blockSize - 1, blockSize, blockSize + 1, 3 * blockSize, 0, 17, 100_000};
        for (int i = 0; i < sizes.length; i++) {
            entries.add(InternalEntry.of(("k" + i).getBytes(), i, EntryKind.PUT, i, TestTables.value(rnd, sizes[i])));
        }
        entries.add(InternalEntry.of(new byte[0], 99, EntryKind.MERGE, 0, "operand".getBytes()));
        entries.add(InternalEntry.of("gone".getBytes(), 100, EntryKind.DELETE, 0, new byte[0]));
        entries.sort(InternalEntry.ORDER);
        Path path = dir.resolve("4.sst");
        TestTables.write(path, entries, options(blockSize, compression, entries.size()));

        try (SSTableReader reader = SSTableReader.open(path, 4, cache, stats)) {
            for (InternalEntry e : entries) {
                assertThat(describe(reader.get(e.token(), e.key()))).isEqualTo(describe(e));
            }
            assertThat(describe(drain(reader.iterator()))).isEqualTo(describe(entries));
        }
    }

    @Test
    void singleEntryTable() {
        InternalEntry only = TestTables.put("only", "one");
        Path path = dir.resolve("5.sst");
        SSTableMetadata m = TestTables.write(path, List.of(only), options(4096, Compression.LZ4, 1));
        assertThat(m.entryCount()).isEqualTo(1);
        try (SSTableReader reader = SSTableReader.open(path, 5, cache, stats)) {
            assertThat(reader.blockCount()).isEqualTo(1);
            assertThat(describe(reader.get(only.token(), only.key()))).isEqualTo(describe(only));
            assertThat(reader.get(only.token(), "other".getBytes())).isNull();
            assertThat(describe(drain(reader.iterator()))).containsExactly(describe(only));
            assertThat(describe(drain(reader.iteratorFrom(minusOne(only.token()))))).containsExactly(describe(only));
            assertThat(drain(reader.iteratorFrom(only.token()))).isEmpty();
        }
    }

    @Test
    void emptyTable() {
        Path path = dir.resolve("6.sst");
        SSTableMetadata m = TestTables.write(path, List.of(), options(4096, Compression.LZ4, 0));
        assertThat(m.isEmpty()).isTrue();
        assertThat(m.firstToken()).isEmpty();
        try (SSTableReader reader = SSTableReader.open(path, 6, cache, stats)) {
            assertThat(reader.metadata().entryCount()).isZero();
            assertThat(reader.metadata().fileSizeBytes()).isEqualTo(m.fileSizeBytes());
            byte[] key = "k".getBytes();
            assertThat(reader.get(KeyOrder.token(key), key)).isNull();
            assertThat(drain(reader.iterator())).isEmpty();
            assertThat(drain(reader.iteratorFrom(TestTables.token(0)))).isEmpty();
        }
    }

    @Test
    void lz4ShrinksCompressibleTables() {
        List<InternalEntry> entries = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            entries.add(InternalEntry.of(("key-" + i).getBytes(), i, EntryKind.PUT, 0,
                    ("a fairly repetitive value, a fairly repetitive value " + (i % 10)).getBytes()));
        }
        entries.sort(InternalEntry.ORDER);
        SSTableMetadata none = TestTables.write(dir.resolve("n.sst"), entries, options(4096, Compression.NONE, 2000));
        SSTableMetadata lz4 = TestTables.write(dir.resolve("l.sst"), entries, options(4096, Compression.LZ4, 2000));
        assertThat(lz4.dataBytes()).isLessThan(none.dataBytes() / 2);
    }

    @Test
    void concurrentReadersSeeCorrectEntries() throws Exception {
        List<InternalEntry> entries = TestTables.randomEntries(new Random(11), 2000, 200);
        Path path = dir.resolve("7.sst");
        TestTables.write(path, entries, options(512, Compression.LZ4, entries.size()));
        BlockCache small = new BlockCache(64 << 10); // forces constant eviction and reloading
        try (SSTableReader reader = SSTableReader.open(path, 7, small, stats)) {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 4; t++) {
                int seed = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    Random rnd = new Random(seed);
                    try {
                        for (int i = 0; i < 5000; i++) {
                            InternalEntry e = entries.get(rnd.nextInt(entries.size()));
                            String got = describe(reader.get(e.token(), e.key()));
                            if (!got.equals(describe(e))) {
                                throw new AssertionError("got " + got + " for " + describe(e));
                            }
                        }
                        if (seed == 0) {
                            assertThat(drain(reader.iterator())).hasSize(entries.size());
                        }
                    } catch (Throwable x) {
                        failures.add(x);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join(60_000);
            }
            assertThat(failures).isEmpty();
        }
    }

    @Test
    void anInterruptedReadFailsOnlyTheInterruptedCaller() {
        List<InternalEntry> entries = TestTables.randomEntries(new Random(5), 500, 100);
        Path path = dir.resolve("8.sst");
        TestTables.write(path, entries, options(512, Compression.NONE, entries.size()));
        try (SSTableReader reader = SSTableReader.open(path, 8, new BlockCache(0), stats)) {
            InternalEntry e = entries.get(100);
            Thread.currentThread().interrupt();
            try {
                reader.get(e.token(), e.key());
                throw new AssertionError("an interrupted read should fail");
            } catch (io.ringkv.storage.StorageIoException expected) {
                assertThat(Thread.interrupted()).isTrue(); // the flag is kept (and cleared here)
            }
            assertThat(describe(reader.get(e.token(), e.key()))).isEqualTo(describe(e));
            assertThat(drain(reader.iterator())).hasSize(entries.size());
        }
    }

    @Test
    void aClosedReaderRefusesReadsAndLeavesNothingInTheCache() {
        List<InternalEntry> entries = TestTables.randomEntries(new Random(9), 200, 50);
        Path path = dir.resolve("9.sst");
        TestTables.write(path, entries, options(512, Compression.NONE, entries.size()));
        SSTableReader reader = SSTableReader.open(path, 9, cache, stats);
        for (InternalEntry e : entries) {
            reader.get(e.token(), e.key());
        }
        assertThat(cache.blockCount()).isPositive();
        reader.close();
        reader.close();
        assertThat(cache.blockCount()).isZero();
        InternalEntry e = entries.getFirst();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader.get(e.token(), e.key()))
                .isInstanceOf(IllegalStateException.class);
    }
}
