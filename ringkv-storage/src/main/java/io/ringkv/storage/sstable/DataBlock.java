package io.ringkv.storage.sstable;

import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A verified, decompressed data block (docs/design/storage-format.md, "Data block"), as held
 * by the block cache. Lookups search a compact array of token prefixes and compare the fixed
 * 16-byte token as two longs, so a probe decodes nothing but, on a token tie, one key length.
 *
 * <p>The offset array is validated once, when the block is built; after that every offset is
 * known to lie inside the entry region, and entry decoding still bounds-checks each length.
 *
 * <p>Why the extra {@code tokenHi} array: a lookup is bound by cache misses, not by compares.
 * A binary search over the entries touches log2(n) scattered lines of a 16 KiB block (and
 * several pages). Building, at load time, the first 8 bytes of every token into one compact
 * array costs 8 bytes per entry and lets the search stay in one or two lines: tokens are MD5
 * digests, uniform in the block's range, so interpolation lands within a few slots of the
 * answer and a short scan finishes. Skewed tokens fall back to binary search, and entries
 * that share their top 64 bits are told apart by their full (token, key).
 */
final class DataBlock {
    private static final int TOKEN_BYTES = 16;
    /** Minimum bytes of an entry: token, key length, seq, kind, timestamp, value length. */
    private static final int MIN_ENTRY_BYTES = TOKEN_BYTES + 5;

    /** Beyond this many scan steps from the interpolated guess, finish with a binary search. */
    private static final int MAX_SCAN_STEPS = 8;

    private final byte[] data;
    private final int entryCount;
    /** Start of the offset array = end of the entry region. */
    private final int offsetsStart;
    /** The first 8 bytes of each entry's token, as a big-endian long. */
    private final long[] tokenHi;

    private static final VarHandle REFERENCED;

    static {
        try {
            REFERENCED = MethodHandles.lookup().findVarHandle(DataBlock.class, "referenced", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** CLOCK reference bit, set on every cache hit and cleared by the cache's clock hand. */
    @SuppressWarnings("unused") // accessed through REFERENCED
    private boolean referenced;

    // The block cache's bookkeeping: a cached block is a node of its shard's clock list. Set
    // once, when the block is admitted, and only read or changed under that shard's lock.
    CachedBlocks cacheOwner;
    int cacheSlot;
    long cacheWeight;
    DataBlock prev;
    DataBlock next;

    private DataBlock(byte[] data, int entryCount, int offsetsStart, long[] tokenHi) {
        this.data = data;
        this.entryCount = entryCount;
        this.offsetsStart = offsetsStart;
        this.tokenHi = tokenHi;
    }

    /** Parses and validates block content {@code data[0, length)}. */
    static DataBlock parse(byte[] data, int length) {
        if (length < 4) {
            throw new MalformedException("data block of " + length + " bytes has no entry count");
        }
        int count = BigEndian.getInt(data, length - 4);
        if (count < 1 || (long) count * (4 + MIN_ENTRY_BYTES) > length - 4) {
            throw new MalformedException("data block entry count " + count + " does not fit " + length + " bytes");
        }
        int offsetsStart = length - 4 - 4 * count;
        long[] tokenHi = new long[count];
        int previous = -1;
        for (int i = 0; i < count; i++) {
            int off = BigEndian.getInt(data, offsetsStart + 4 * i);
            boolean ok = i == 0 ? off == 0 : off >= previous + MIN_ENTRY_BYTES;
            if (!ok || off > offsetsStart - MIN_ENTRY_BYTES) {
                throw new MalformedException("data block offset " + i + " = " + off + " is out of order or range");
            }
            tokenHi[i] = BigEndian.getLong(data, off);
            if (i > 0 && Long.compareUnsigned(tokenHi[i - 1], tokenHi[i]) > 0) {
                throw new MalformedException("data block tokens are out of order at entry " + i);
            }
            previous = off;
        }
        return new DataBlock(data, count, offsetsStart, tokenHi);
    }

    /**
     * Marks the block recently used. Opaque access: no fence on the hit path; the clock hand
     * may miss a concurrent touch, which only makes eviction slightly less precise.
     */
    void touch() {
        if (!(boolean) REFERENCED.getOpaque(this)) {
            REFERENCED.setOpaque(this, true);
        }
    }

    /** Clears the reference bit; returns whether it was set. */
    boolean clearReferenced() {
        boolean was = (boolean) REFERENCED.getOpaque(this);
        if (was) {
            REFERENCED.setOpaque(this, false);
        }
        return was;
    }

    int entryCount() {
        return entryCount;
    }

    /** Heap bytes this block pins, for cache accounting. */
    int weightBytes() {
        return data.length + 8 * tokenHi.length;
    }

    private int offset(int i) {
        return BigEndian.getInt(data, offsetsStart + 4 * i);
    }

    private int entryEnd(int i) {
        return i + 1 < entryCount ? offset(i + 1) : offsetsStart;
    }

    /**
     * Index of the first entry whose (token, key) is {@code >=} the target, or
     * {@link #entryCount} if none. {@code key == null} means "the target key is +infinity",
     * i.e. the first entry whose token is {@code >} the target token.
     */
    int seek(long tokenHi, long tokenLo, byte[] key) {
        int p = lowerBoundHi(tokenHi);
        if (p == entryCount || this.tokenHi[p] != tokenHi) {
            return p; // the common case: the top 64 bits alone decide
        }
        int q = p + 1;
        while (q < entryCount && this.tokenHi[q] == tokenHi) {
            q++;
        }
        // [p, q) share the target's top 64 bits: binary-search them by full (token, key).
        int lo = p;
        int hi = q;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compareAt(mid, tokenHi, tokenLo, key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The first index whose tokenHi is {@code >=} (unsigned) the target, or entryCount. */
    int lowerBoundHi(long target) {
        long[] t = tokenHi;
        int n = entryCount;
        long first = t[0];
        long last = t[n - 1];
        if (Long.compareUnsigned(target, first) <= 0) {
            return 0;
        }
        if (Long.compareUnsigned(target, last) > 0) {
            return n;
        }
        // first < target <= last, so n >= 2 and the answer is in [1, n-1].
        double fraction = unsignedToDouble(target - first) / unsignedToDouble(last - first);
        int guess = Math.min(n - 1, Math.max(1, (int) (fraction * (n - 1))));
        int lo;
        int hi;
        if (Long.compareUnsigned(t[guess], target) < 0) {
            int i = guess + 1; // t[guess] < target <= t[n-1]
            for (int steps = 0; steps < MAX_SCAN_STEPS; steps++, i++) {
                if (Long.compareUnsigned(t[i], target) >= 0) {
                    return i;
                }
            }
            lo = i;
            hi = n - 1;
        } else {
            int i = guess; // t[guess] >= target > t[0]
            for (int steps = 0; steps < MAX_SCAN_STEPS; steps++, i--) {
                if (Long.compareUnsigned(t[i - 1], target) < 0) {
                    return i;
                }
            }
            lo = 1;
            hi = i;
        }
        while (lo < hi) { // the answer is in [lo, hi]
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(t[mid], target) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0;
    }

    /** Compares entry {@code i} with the target; {@code key == null} is above every key. */
    int compareAt(int i, long tokenHi, long tokenLo, byte[] key) {
        int off = offset(i);
        int c = Long.compareUnsigned(BigEndian.getLong(data, off), tokenHi);
        if (c == 0) {
            c = Long.compareUnsigned(BigEndian.getLong(data, off + 8), tokenLo);
        }
        if (c != 0) {
            return c;
        }
        if (key == null) {
            return -1;
        }
        int end = entryEnd(i);
        long lenAndSize = Varint.getIntAndSize(data, off + TOKEN_BYTES, end);
        int keyStart = off + TOKEN_BYTES + Varint.encodedSize(lenAndSize);
        int keyLength = Varint.value(lenAndSize);
        if (keyLength > end - keyStart) {
            throw new MalformedException("key length " + keyLength + " runs past its entry");
        }
        return Arrays.compareUnsigned(data, keyStart, keyStart + keyLength, key, 0, key.length);
    }

    /**
     * Decodes entry {@code i}. When {@code token} and {@code key} are given (a point lookup
     * that matched), they are used as the entry's arrays instead of copies.
     */
    InternalEntry decode(int i, byte[] token, byte[] key) {
        int off = offset(i);
        int end = entryEnd(i);
        if (token == null) {
            token = Arrays.copyOfRange(data, off, off + TOKEN_BYTES);
        }
        int pos = off + TOKEN_BYTES;
        long lenAndSize = Varint.getIntAndSize(data, pos, end);
        pos += Varint.encodedSize(lenAndSize);
        int keyLength = Varint.value(lenAndSize);
        if (keyLength > end - pos) {
            throw new MalformedException("key length " + keyLength + " runs past its entry");
        }
        if (key == null) {
            key = Arrays.copyOfRange(data, pos, pos + keyLength);
        }
        pos += keyLength;
        int[] cursor = new int[1];
        long seq = Varint.getLong(data, pos, end, cursor);
        pos = cursor[0];
        if (pos >= end) {
            throw new MalformedException("entry ends before its kind byte");
        }
        EntryKind kind = kindOf(data[pos++]);
        long timestampMillis = Varint.getLong(data, pos, end, cursor);
        pos = cursor[0];
        lenAndSize = Varint.getIntAndSize(data, pos, end);
        pos += Varint.encodedSize(lenAndSize);
        int valueLength = Varint.value(lenAndSize);
        if (valueLength != end - pos) {
            throw new MalformedException("value length " + valueLength + " does not match its entry (" + (end - pos) + ")");
        }
        byte[] value = Arrays.copyOfRange(data, pos, end);
        return new InternalEntry(token, key, seq, kind, timestampMillis, value);
    }

    private static EntryKind kindOf(byte code) {
        try {
            return EntryKind.fromCode(code);
        } catch (IllegalArgumentException e) {
            throw new MalformedException("unknown entry kind " + code);
        }
    }
}
