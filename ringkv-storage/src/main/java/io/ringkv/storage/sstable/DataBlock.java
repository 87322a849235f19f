package io.ringkv.storage.sstable;

import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import java.util.Arrays;

/**
 * A verified, decompressed data block (docs/design/storage-format.md, "Data block"), as held
 * by the block cache. Lookups binary-search the offset array and compare the fixed 16-byte
 * token as two longs, so a probe decodes nothing but, on a token tie, one key length.
 *
 * <p>The offset array is validated once, when the block is built; after that every offset is
 * known to lie inside the entry region, and entry decoding still bounds-checks each length.
 */
final class DataBlock {
    private static final int TOKEN_BYTES = 16;
    /** Minimum bytes of an entry: token, key length, seq, kind, timestamp, value length. */
    private static final int MIN_ENTRY_BYTES = TOKEN_BYTES + 5;

    private final byte[] data;
    private final int entryCount;
    /** Start of the offset array = end of the entry region. */
    private final int offsetsStart;

    private DataBlock(byte[] data, int entryCount, int offsetsStart) {
        this.data = data;
        this.entryCount = entryCount;
        this.offsetsStart = offsetsStart;
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
        int previous = -1;
        for (int i = 0; i < count; i++) {
            int off = BigEndian.getInt(data, offsetsStart + 4 * i);
            boolean ok = i == 0 ? off == 0 : off >= previous + MIN_ENTRY_BYTES;
            if (!ok || off > offsetsStart - MIN_ENTRY_BYTES) {
                throw new MalformedException("data block offset " + i + " = " + off + " is out of order or range");
            }
            previous = off;
        }
        return new DataBlock(data, count, offsetsStart);
    }

    int entryCount() {
        return entryCount;
    }

    /** Heap bytes this block pins, for cache accounting. */
    int weightBytes() {
        return data.length;
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
        int lo = 0;
        int hi = entryCount;
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
