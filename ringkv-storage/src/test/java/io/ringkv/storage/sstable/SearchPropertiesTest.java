package io.ringkv.storage.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The block search (interpolation, scan, binary fallback) and the index's radix buckets must
 * agree with a plain linear search whatever the token distribution: uniform MD5 tokens, tokens
 * crowded into a narrow range, and tokens that share their top 64 bits.
 */
class SearchPropertiesTest {

    /** Sorted distinct entries whose tokens follow one of several distributions. */
    static List<InternalEntry> entries(long seed, int count, int distribution) {
        Random rnd = new Random(seed);
        TreeSet<InternalEntry> set = new TreeSet<>(InternalEntry.ORDER);
        while (set.size() < count) {
            byte[] token = new byte[16];
            rnd.nextBytes(token);
            long hi = switch (distribution) {
                case 0 -> BigEndian.getLong(token, 0);                        // uniform
                case 1 -> 0x1234_0000_0000_0000L + rnd.nextInt(1000);        // crowded
                case 2 -> rnd.nextInt(3) * 0x5555_5555_5555_5555L;           // few shared top halves
                case 3 -> rnd.nextBoolean() ? rnd.nextInt(50) : -1L - rnd.nextInt(50); // both ends of the ring
                default -> Long.MIN_VALUE + (long) rnd.nextInt(4) * (1L << 62) + rnd.nextInt(5); // steps
            };
            BigEndian.putLong(token, 0, hi);
            if (distribution == 2 && rnd.nextBoolean()) {
                BigEndian.putLong(token, 8, 7); // whole tokens shared too: keys decide
            }
            byte[] key = new byte[rnd.nextInt(6)];
            rnd.nextBytes(key);
            set.add(new InternalEntry(token, key, 1, EntryKind.PUT, 0, new byte[rnd.nextInt(4)]));
        }
        return new ArrayList<>(set);
    }

    /** Probe targets: every entry, its neighbours one below and above, and random tokens. */
    static List<InternalEntry> probes(List<InternalEntry> entries, long seed) {
        Random rnd = new Random(seed);
        List<InternalEntry> out = new ArrayList<>();
        for (InternalEntry e : entries) {
            out.add(e);
            out.add(new InternalEntry(e.token(), Arrays.copyOf(e.key(), e.key().length + 1), 0, EntryKind.PUT, 0, new byte[0]));
            byte[] below = e.token().clone();
            BigEndian.putLong(below, 8, BigEndian.getLong(below, 8) - 1);
            out.add(new InternalEntry(below, e.key(), 0, EntryKind.PUT, 0, new byte[0]));
        }
        for (int i = 0; i < 50; i++) {
            byte[] t = new byte[16];
            rnd.nextBytes(t);
            out.add(new InternalEntry(t, new byte[0], 0, EntryKind.PUT, 0, new byte[0]));
        }
        out.add(new InternalEntry(new byte[16], new byte[0], 0, EntryKind.PUT, 0, new byte[0]));
        byte[] max = new byte[16];
        Arrays.fill(max, (byte) 0xFF);
        out.add(new InternalEntry(max, new byte[] {(byte) 0xFF}, 0, EntryKind.PUT, 0, new byte[0]));
        return out;
    }

    @Property(tries = 300)
    void blockSeekMatchesLinearSearch(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int count,
                                      @ForAll @IntRange(min = 0, max = 4) int distribution) {
        List<InternalEntry> entries = entries(seed, count, distribution);
        DataBlockBuilder builder = new DataBlockBuilder(64);
        entries.forEach(builder::add);
        byte[] content = builder.finish();
        DataBlock block = DataBlock.parse(content, builder.finishedLength());
        for (InternalEntry p : probes(entries, seed)) {
            long hi = BigEndian.getLong(p.token(), 0);
            long lo = BigEndian.getLong(p.token(), 8);
            int expected = 0;
            while (expected < count && InternalEntry.ORDER.compare(entries.get(expected), p) < 0) {
                expected++;
            }
            assertThat(block.seek(hi, lo, p.key())).isEqualTo(expected);
            int expectedAfterToken = 0;
            while (expectedAfterToken < count && Arrays.compareUnsigned(entries.get(expectedAfterToken).token(), p.token()) <= 0) {
                expectedAfterToken++;
            }
            assertThat(block.seek(hi, lo, null)).isEqualTo(expectedAfterToken);
        }
    }

    @Property(tries = 200)
    void indexFindsTheOnlyBlockThatCanHoldAKey(@ForAll long seed, @ForAll @IntRange(min = 0, max = 400) int blocks,
                                               @ForAll @IntRange(min = 0, max = 4) int distribution) {
        List<InternalEntry> lasts = entries(seed, blocks, distribution);
        BlockIndex.Builder builder = new BlockIndex.Builder();
        long offset = 0;
        for (InternalEntry e : lasts) {
            builder.add(offset, 100, e.token(), e.key());
            offset += 100 + BlockFraming.TRAILER_BYTES;
        }
        byte[] encoded = builder.finish();
        BlockIndex index = BlockIndex.parse(encoded, encoded.length, offset);
        assertThat(index.blockCount()).isEqualTo(blocks);
        for (InternalEntry p : probes(lasts, seed)) {
            long hi = BigEndian.getLong(p.token(), 0);
            long lo = BigEndian.getLong(p.token(), 8);
            int expected = 0;
            while (expected < blocks && InternalEntry.ORDER.compare(lasts.get(expected), p) < 0) {
                expected++;
            }
            assertThat(index.findBlock(hi, lo, p.key())).isEqualTo(expected);
            int expectedAfter = 0;
            while (expectedAfter < blocks && Arrays.compareUnsigned(lasts.get(expectedAfter).token(), p.token()) <= 0) {
                expectedAfter++;
            }
            assertThat(index.findBlockAfterToken(hi, lo)).isEqualTo(expectedAfter);
        }
    }

    @Property(tries = 50)
    void lowerBoundFindsEveryUniformToken(@ForAll long seed) {
        List<InternalEntry> entries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            entries.add(InternalEntry.of(("k" + seed + "-" + i).getBytes(), i, EntryKind.PUT, 0, new byte[0]));
        }
        entries.sort(InternalEntry.ORDER);
        DataBlockBuilder builder = new DataBlockBuilder(64);
        entries.forEach(builder::add);
        DataBlock block = DataBlock.parse(builder.finish(), builder.finishedLength());
        for (int i = 0; i < entries.size(); i++) {
            byte[] t = entries.get(i).token();
            assertThat(block.lowerBoundHi(BigEndian.getLong(t, 0))).isEqualTo(i);
        }
    }
}
