package io.ringkv.storage.sstable;

import static io.ringkv.storage.sstable.TestTables.describe;
import static io.ringkv.storage.sstable.TestTables.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.storage.Compression;
import io.ringkv.storage.CorruptionException;
import io.ringkv.storage.format.InternalEntry;
import io.ringkv.storage.format.KeyOrder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Damages a real table in every region (data blocks, index, bloom filter, metadata, footer)
 * and checks the promise of docs/design/storage-format.md: every read either throws a
 * {@link CorruptionException} naming the file, or returns exactly the original data.
 */
class SSTableCorruptionTest {
    @TempDir
    Path dir;

    private List<InternalEntry> entries;
    private byte[][] absentKeys;
    private final ReadStats stats = new ReadStats();

    @BeforeEach
    void setUp() {
        entries = TestTables.randomEntries(new Random(99), 50, 40);
        absentKeys = new byte[20][];
        for (int i = 0; i < absentKeys.length; i++) {
            absentKeys[i] = ("absent-" + i).getBytes();
        }
    }

    private byte[] writeOriginal(Compression compression) throws IOException {
        Path original = dir.resolve("original-" + compression + ".sst");
        TestTables.write(original, entries, options(256, compression, entries.size()));
        byte[] file = Files.readAllBytes(original);
        List<Byte> codes = blockCompressionCodes(file);
        assertThat(codes).hasSizeGreaterThan(5);
        if (compression == Compression.LZ4) {
            assertThat(codes).as("both stored forms are damaged").contains((byte) 0, (byte) 1);
        } else {
            assertThat(codes).containsOnly((byte) 0);
        }
        return file;
    }

    /** The compression byte of every data block, found through the index (format doc, "Index block"). */
    private static List<Byte> blockCompressionCodes(byte[] file) {
        ByteBuffer footer = ByteBuffer.wrap(file, file.length - Footer.BYTES, Footer.BYTES).slice();
        ByteBuffer index = ByteBuffer.wrap(file, (int) footer.getLong(0), footer.getInt(8)).slice();
        List<Byte> codes = new java.util.ArrayList<>();
        int pos = 4;
        for (int i = 0; i < index.getInt(0); i++) {
            long offset = index.getLong(pos);
            int length = index.getInt(pos + 8);
            int keyLength = index.get(pos + 28); // keys here are shorter than 128 bytes: a 1-byte varint
            pos += 29 + keyLength;
            codes.add(file[(int) offset + length]);
        }
        return codes;
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void everySingleByteFlipIsDetectedAndNeverServed(Compression compression) throws IOException {
        byte[] original = writeOriginal(compression);
        Path damaged = dir.resolve("damaged.sst");
        Files.write(damaged, original);
        assertThat(readEverything(damaged)).as("the undamaged table reads cleanly").isFalse();

        TreeMap<Long, String> regions = regions(original);
        TreeMap<String, Integer> flipsPerRegion = new TreeMap<>();
        int[] patterns = {0x01, 0x80, 0xFF};
        for (int pos = 0; pos < original.length; pos++) {
            byte[] copy = original.clone();
            copy[pos] ^= (byte) patterns[pos % patterns.length];
            Files.write(damaged, copy);
            String region = regions.floorEntry((long) pos).getValue();
            // The format has no padding: every byte is under a checksum, so every flip is caught.
            assertThat(readEverything(damaged)).as("flip at %d (%s) detected", pos, region).isTrue();
            flipsPerRegion.merge(region, 1, Integer::sum);
        }
        assertThat(flipsPerRegion).containsOnlyKeys("data", "index", "bloom", "metadata", "footer");
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void everyTruncationAndExtensionIsDetectedAtOpen(Compression compression) throws IOException {
        byte[] original = writeOriginal(compression);
        Path damaged = dir.resolve("truncated.sst");
        for (int length = 0; length < original.length; length++) {
            Files.write(damaged, Arrays.copyOf(original, length));
            assertOpenFails(damaged);
        }
        for (int extra : new int[] {1, 7, 52, 4096}) {
            Files.write(damaged, Arrays.copyOf(original, original.length + extra));
            assertOpenFails(damaged);
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void overwrittenRunsAndZeroedPagesAreNeverServed(Compression compression) throws IOException {
        byte[] original = writeOriginal(compression);
        Path damaged = dir.resolve("overwritten.sst");
        Random rnd = new Random(compression.ordinal());
        for (int trial = 0; trial < 400; trial++) {
            byte[] copy = original.clone();
            int length = 1 + rnd.nextInt(trial % 2 == 0 ? 64 : 4096);
            int start = rnd.nextInt(copy.length);
            int end = Math.min(copy.length, start + length);
            if (trial % 2 == 0) {
                byte[] noise = new byte[end - start];
                rnd.nextBytes(noise);
                System.arraycopy(noise, 0, copy, start, noise.length);
            } else {
                Arrays.fill(copy, start, end, (byte) 0);
            }
            Files.write(damaged, copy);
            readEverything(damaged); // asserts internally that nothing wrong is returned
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void preloadingStopsAtADamagedBlockWhichIsReportedAndNeverServed(Compression compression) throws IOException {
        byte[] original = writeOriginal(compression);
        int blocks = blockCompressionCodes(original).size();
        long dataEnd = regions(original).higherKey(0L);
        byte[] copy = original.clone();
        copy[(int) (dataEnd / 2)] ^= 0x55; // a byte of a data block in the middle of the table
        Path damaged = dir.resolve("damaged-block.sst");
        Files.write(damaged, copy);

        try (SSTableReader reader = SSTableReader.open(damaged, 1, new BlockCache(1 << 20), stats)) {
            assertThat(reader.preloadBlocks(Long.MAX_VALUE)).as("blocks cached before the damaged one")
                    .isPositive().isLessThan(blocks);
            int reported = 0;
            for (InternalEntry e : entries) {
                try {
                    assertThat(same(reader.get(e.token(), e.key()), e)).as("an entry read after the preload").isTrue();
                } catch (CorruptionException x) {
                    assertNamesFile(x, damaged);
                    reported++;
                }
            }
            assertThat(reported).as("the damaged block's entries").isPositive();
        }
    }

    private void assertOpenFails(Path path) {
        assertThatThrownBy(() -> SSTableReader.open(path, 1, new BlockCache(0), stats).close())
                .isInstanceOfSatisfying(CorruptionException.class, e -> assertNamesFile(e, path));
    }

    /** The file's regions by start offset, read from the (undamaged) footer. */
    private static TreeMap<Long, String> regions(byte[] file) {
        ByteBuffer footer = ByteBuffer.wrap(file, file.length - Footer.BYTES, Footer.BYTES).slice();
        TreeMap<Long, String> regions = new TreeMap<>();
        regions.put(0L, "data");
        regions.put(footer.getLong(0), "index");
        regions.put(footer.getLong(12), "bloom");
        regions.put(footer.getLong(24), "metadata");
        regions.put((long) file.length - Footer.BYTES, "footer");
        return regions;
    }

    /**
     * Opens the table and reads everything through every API. Returns whether corruption was
     * reported; fails the test if any read returned data that differs from the original.
     */
    private boolean readEverything(Path path) {
        SSTableReader reader;
        try {
            reader = SSTableReader.open(path, 1, new BlockCache(0), stats);
        } catch (CorruptionException e) {
            assertNamesFile(e, path);
            return true;
        }
        boolean detected = false;
        try (reader) {
            for (InternalEntry e : entries) {
                try {
                    InternalEntry got = reader.get(e.token(), e.key());
                    if (!same(got, e)) {
                        throw new AssertionError("get returned " + describe(got) + " instead of " + describe(e));
                    }
                } catch (CorruptionException x) {
                    assertNamesFile(x, path);
                    detected = true;
                }
            }
            for (byte[] key : absentKeys) {
                try {
                    InternalEntry got = reader.get(KeyOrder.token(key), key);
                    if (got != null) {
                        throw new AssertionError("get of an absent key returned " + describe(got));
                    }
                } catch (CorruptionException x) {
                    assertNamesFile(x, path);
                    detected = true;
                }
            }
            detected |= iterateAndCompare(reader.iterator(), 0, path);
            int from = entries.size() / 2;
            detected |= iterateAndCompare(reader.iteratorFrom(entries.get(from - 1).token()), from, path);
        }
        return detected;
    }

    /** Iterates, comparing with entries[firstIndex..]; returns true if corruption was reported. */
    private boolean iterateAndCompare(SSTableIterator it, int firstIndex, Path path) {
        int i = firstIndex;
        try (it) {
            while (it.hasNext()) {
                InternalEntry got = it.next();
                if (i >= entries.size() || !same(got, entries.get(i))) {
                    throw new AssertionError("iteration returned " + describe(got) + " at position " + i);
                }
                i++;
            }
        } catch (CorruptionException x) {
            assertNamesFile(x, path);
            return true;
        }
        if (i != entries.size()) {
            throw new AssertionError("iteration stopped silently after " + i + " of " + entries.size() + " entries");
        }
        return false;
    }

    private static void assertNamesFile(CorruptionException e, Path path) {
        assertThat(e.file()).isEqualTo(path);
        assertThat(e.getMessage()).contains(path.toString());
        assertThat(e.offset()).isNotNegative();
    }

    private static boolean same(InternalEntry a, InternalEntry b) {
        return a != null && b != null && Arrays.equals(a.token(), b.token()) && Arrays.equals(a.key(), b.key())
                && a.seq() == b.seq() && a.kind() == b.kind() && a.timestampMillis() == b.timestampMillis()
                && Arrays.equals(a.value(), b.value());
    }
}
