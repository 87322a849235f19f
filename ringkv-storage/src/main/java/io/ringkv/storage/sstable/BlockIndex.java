package io.ringkv.storage.sstable;

import java.util.Arrays;

/**
 * The sparse index: one (handle, last key) per data block (docs/design/storage-format.md,
 * "Index block"), held on heap as parallel arrays so a lookup binary-searches primitives.
 * The last key of a block bounds it from above, so the first block whose last key is
 * {@code >=} a target is the only one that can hold the target.
 */
final class BlockIndex {
    private final long[] offsets;
    private final int[] storedLengths;
    private final long[] lastTokenHi;
    private final long[] lastTokenLo;
    private final byte[][] lastKeys;
    private final int blockCount;
    /** Radix table: bucketStart[b] = first block whose last token's top {@code radixBits} bits are >= b. */
    private final int[] bucketStart;
    private final int radixBits;

    private BlockIndex(long[] offsets, int[] storedLengths, long[] lastTokenHi, long[] lastTokenLo,
                       byte[][] lastKeys, int blockCount) {
        this.offsets = offsets;
        this.storedLengths = storedLengths;
        this.lastTokenHi = lastTokenHi;
        this.lastTokenLo = lastTokenLo;
        this.lastKeys = lastKeys;
        this.blockCount = blockCount;
        // Tokens are MD5 digests, uniform over the ring, so about two buckets per block leave
        // each bucket spanning one or two blocks: a lookup touches the table and one or two
        // index entries instead of log2(blocks) cache lines. Skewed tokens only widen buckets;
        // the search inside a bucket is still a binary search, so the worst case stays O(log n).
        this.radixBits = Math.max(1, Math.min(20, 64 - Long.numberOfLeadingZeros(Math.max(1, blockCount))));
        this.bucketStart = new int[(1 << radixBits) + 1];
        int block = 0;
        for (int b = 0; b < 1 << radixBits; b++) {
            while (block < blockCount && (lastTokenHi[block] >>> (64 - radixBits)) < b) {
                block++;
            }
            bucketStart[b] = block;
        }
        bucketStart[1 << radixBits] = blockCount;
    }

    int blockCount() {
        return blockCount;
    }

    long offset(int block) {
        return offsets[block];
    }

    int storedLength(int block) {
        return storedLengths[block];
    }

    /** The first block whose last (token, key) is {@code >=} the target, or blockCount. */
    int findBlock(long tokenHi, long tokenLo, byte[] key) {
        // Blocks before bucketStart[b] end below the target's bucket, so they end below the
        // target; blocks from bucketStart[b + 1] on end in a higher bucket, so above it.
        int bucket = (int) (tokenHi >>> (64 - radixBits));
        int lo = bucketStart[bucket];
        int hi = bucketStart[bucket + 1];
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compareLast(mid, tokenHi, tokenLo, key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The first block whose last token is {@code >} the given token, or blockCount. */
    int findBlockAfterToken(long tokenHi, long tokenLo) {
        return findBlock(tokenHi, tokenLo, null);
    }

    /** Compares block {@code i}'s last key with the target; {@code key == null} is above every key. */
    private int compareLast(int i, long tokenHi, long tokenLo, byte[] key) {
        int c = Long.compareUnsigned(lastTokenHi[i], tokenHi);
        if (c == 0) {
            c = Long.compareUnsigned(lastTokenLo[i], tokenLo);
        }
        if (c != 0) {
            return c;
        }
        return key == null ? -1 : Arrays.compareUnsigned(lastKeys[i], key);
    }

    byte[] lastToken(int block) {
        byte[] t = new byte[16];
        BigEndian.putLong(t, 0, lastTokenHi[block]);
        BigEndian.putLong(t, 8, lastTokenLo[block]);
        return t;
    }

    byte[] lastKey(int block) {
        return lastKeys[block].clone();
    }

    /**
     * Parses a verified index block {@code block[0, storedLength)} and checks that the handles
     * tile the data region {@code [0, dataBytes)} exactly and the last keys strictly increase.
     */
    static BlockIndex parse(byte[] block, int storedLength, long dataBytes) {
        if (storedLength < 4) {
            throw new MalformedException("index block of " + storedLength + " bytes has no block count");
        }
        int count = BigEndian.getInt(block, 0);
        int minEntryBytes = 8 + 4 + 16 + 1;
        if (count < 0 || (long) count * minEntryBytes > storedLength - 4) {
            throw new MalformedException("index block count " + count + " does not fit " + storedLength + " bytes");
        }
        long[] offsets = new long[count];
        int[] lengths = new int[count];
        long[] hi = new long[count];
        long[] lo = new long[count];
        byte[][] keys = new byte[count][];
        int pos = 4;
        long expectedOffset = 0;
        for (int i = 0; i < count; i++) {
            if (pos + 28 > storedLength) {
                throw new MalformedException("index entry " + i + " runs past the index block");
            }
            offsets[i] = BigEndian.getLong(block, pos);
            lengths[i] = BigEndian.getInt(block, pos + 8);
            hi[i] = BigEndian.getLong(block, pos + 12);
            lo[i] = BigEndian.getLong(block, pos + 20);
            pos += 28;
            long lenAndSize = Varint.getIntAndSize(block, pos, storedLength);
            pos += Varint.encodedSize(lenAndSize);
            int keyLength = Varint.value(lenAndSize);
            if (keyLength > storedLength - pos) {
                throw new MalformedException("index key " + i + " runs past the index block");
            }
            keys[i] = Arrays.copyOfRange(block, pos, pos + keyLength);
            pos += keyLength;
            if (offsets[i] != expectedOffset || lengths[i] < 4) {
                throw new MalformedException("index entry " + i + " handle (" + offsets[i] + ", " + lengths[i]
                        + ") does not follow the previous block at " + expectedOffset);
            }
            expectedOffset += lengths[i] + (long) BlockFraming.TRAILER_BYTES;
            if (i > 0 && compareLastOf(hi, lo, keys, i - 1, i) >= 0) {
                throw new MalformedException("index last keys are not strictly increasing at block " + i);
            }
        }
        if (pos != storedLength) {
            throw new MalformedException("index block has " + (storedLength - pos) + " trailing bytes");
        }
        if (expectedOffset != dataBytes) {
            throw new MalformedException("index blocks end at " + expectedOffset + " but the data region ends at " + dataBytes);
        }
        return new BlockIndex(offsets, lengths, hi, lo, keys, count);
    }

    private static int compareLastOf(long[] hi, long[] lo, byte[][] keys, int a, int b) {
        int c = Long.compareUnsigned(hi[a], hi[b]);
        if (c == 0) {
            c = Long.compareUnsigned(lo[a], lo[b]);
        }
        return c != 0 ? c : Arrays.compareUnsigned(keys[a], keys[b]);
    }

    /** Builds the index block's stored bytes while the writer emits data blocks. */
    static final class Builder {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        private final byte[] scratch = new byte[28 + 5];
        private int count;

        void add(long offset, int storedLength, byte[] lastToken, byte[] lastKey) {
            BigEndian.putLong(scratch, 0, offset);
            BigEndian.putInt(scratch, 8, storedLength);
            System.arraycopy(lastToken, 0, scratch, 12, 16);
            int end = Varint.put(scratch, 28, lastKey.length);
            out.write(scratch, 0, end);
            out.write(lastKey, 0, lastKey.length);
            count++;
        }

        byte[] finish() {
            byte[] body = out.toByteArray();
            byte[] block = new byte[4 + body.length];
            BigEndian.putInt(block, 0, count);
            System.arraycopy(body, 0, block, 4, body.length);
            return block;
        }
    }
}
