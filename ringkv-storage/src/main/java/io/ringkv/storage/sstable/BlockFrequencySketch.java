package io.ringkv.storage.sstable;

/**
 * How often each data block has been looked up lately, approximately: the block cache's
 * admission filter (docs/design/storage-format.md, "Reading and the block cache").
 *
 * <p>A count-min sketch (Cormode and Muthukrishnan 2005) of 4-bit counters, aged by halving
 * every counter after a sample of lookups, as TinyLFU does (Einziger, Friedman and Manes 2017):
 * a block's estimate is the least of its four counters, so collisions only ever overstate it,
 * and halving makes the estimate favour recent lookups. The four counters of a block lie in
 * one run of 8 longs (64 contiguous bytes), so an update touches one or two cache lines.
 *
 * <p>Updates are plain, unsynchronized writes from every reading thread: a lost increment or a
 * halving that races with one only blurs an estimate that is approximate anyway, and the hit
 * path of the cache stays free of atomic instructions.
 */
final class BlockFrequencySketch {
    /** A counter saturates here (4 bits). */
    static final int MAX_FREQUENCY = 15;
    private static final long HALVE_MASK = 0x7777_7777_7777_7777L;
    private static final int LONGS_PER_LINE = 8;

    private final long[] table;
    private final int lineMask;
    private final int sampleSize;
    private int increments;

    /**
     * A sketch for a cache holding up to about {@code expectedBlocks} blocks: a counter line per
     * two expected blocks (a block's four counters share a line with those of other blocks), and
     * aging after ten lookups per expected block, TinyLFU's sample.
     */
    BlockFrequencySketch(int expectedBlocks) {
        int blocks = Math.max(16, expectedBlocks);
        int lines = Integer.highestOneBit(blocks - 1); // a power of two in [blocks / 2, blocks)
        table = new long[lines * LONGS_PER_LINE];
        lineMask = lines - 1;
        sampleSize = (int) Math.min(Integer.MAX_VALUE, 10L * blocks);
    }

    /** Counts one lookup of the block whose {@link BlockCache#hash} is {@code hash}. */
    void increment(long hash) {
        int base = line(hash);
        for (int i = 0; i < 4; i++) {
            int index = base + longInLine(hash, i);
            int shift = nibble(hash, i) << 2;
            long word = table[index];
            if (((word >>> shift) & 0xF) < MAX_FREQUENCY) {
                table[index] = word + (1L << shift);
            }
        }
        if (++increments >= sampleSize) {
            halve();
        }
    }

    /** Estimated recent lookups of the block whose hash is {@code hash}, 0 to {@link #MAX_FREQUENCY}. */
    int frequency(long hash) {
        int base = line(hash);
        int min = MAX_FREQUENCY;
        for (int i = 0; i < 4; i++) {
            long word = table[base + longInLine(hash, i)];
            min = Math.min(min, (int) (word >>> (nibble(hash, i) << 2)) & 0xF);
        }
        return min;
    }

    /** Halves every counter: lookups from before the last sample count half as much. */
    private void halve() {
        increments = 0;
        for (int i = 0; i < table.length; i++) {
            table[i] = (table[i] >>> 1) & HALVE_MASK;
        }
    }

    // The line comes from the hash's top 32 bits; counter i from byte i of the bottom 32:
    // 3 bits choose one of the line's 8 longs, 4 bits one of its 16 counters.
    private int line(long hash) {
        return ((int) (hash >>> 32) & lineMask) * LONGS_PER_LINE;
    }

    private static int longInLine(long hash, int i) {
        return (int) (hash >>> (8 * i)) & 7;
    }

    private static int nibble(long hash, int i) {
        return (int) (hash >>> (8 * i + 3)) & 0xF;
    }
}
