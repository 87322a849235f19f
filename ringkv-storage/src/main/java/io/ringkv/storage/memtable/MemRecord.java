package io.ringkv.storage.memtable;

import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The layout of one record in a {@link MemArena} (in memory only, never on disk):
 *
 * <pre>
 * offset size field
 *  0      8   token bytes 0..7  as a big-endian long ("hi")
 *  8      8   token bytes 8..15 as a big-endian long ("lo")
 * 16      8   seq
 * 24      8   timestampMillis
 * 32      1   kind code
 * 33      2   keyLength (u16: keys are at most 65,535 bytes)
 * 35      4   valueLength
 * 39      .   key, then value
 * </pre>
 *
 * The token is held as two longs so that engine order is, almost always, one unsigned long
 * comparison; the key bytes are compared in place only when tokens tie.
 */
final class MemRecord {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    private static final int HI = 0;
    private static final int LO = 8;
    private static final int SEQ = 16;
    private static final int TIMESTAMP = 24;
    private static final int KIND = 32;
    private static final int KEY_LENGTH = 33;
    private static final int VALUE_LENGTH = 35;
    static final int HEADER_BYTES = 39;

    private MemRecord() {
    }

    /** The first 8 token bytes as a big-endian long. */
    static long hi(byte[] token) {
        return (long) LONG.get(token, 0);
    }

    /** The last 8 token bytes as a big-endian long. */
    static long lo(byte[] token) {
        return (long) LONG.get(token, 8);
    }

    /** Appends a record to {@code arena} and returns its address (not yet published). */
    static long write(MemArena arena, long hi, long lo, byte[] key, long seq, EntryKind kind, long timestampMillis,
            byte[] value) {
        long address = arena.allocate(HEADER_BYTES + key.length + value.length);
        byte[] c = arena.chunk(address);
        int o = MemArena.offset(address);
        LONG.set(c, o + HI, hi);
        LONG.set(c, o + LO, lo);
        LONG.set(c, o + SEQ, seq);
        LONG.set(c, o + TIMESTAMP, timestampMillis);
        c[o + KIND] = kind.code();
        SHORT.set(c, o + KEY_LENGTH, (short) key.length);
        INT.set(c, o + VALUE_LENGTH, value.length);
        System.arraycopy(key, 0, c, o + HEADER_BYTES, key.length);
        System.arraycopy(value, 0, c, o + HEADER_BYTES + key.length, value.length);
        return address;
    }

    static long hi(byte[] c, int o) {
        return (long) LONG.get(c, o + HI);
    }

    static long lo(byte[] c, int o) {
        return (long) LONG.get(c, o + LO);
    }

    static long seq(byte[] c, int o) {
        return (long) LONG.get(c, o + SEQ);
    }

    private static int keyLength(byte[] c, int o) {
        return Short.toUnsignedInt((short) SHORT.get(c, o + KEY_LENGTH));
    }

    /** Whether the record is the one for (hi, lo, key). */
    static boolean matches(byte[] c, int o, long hi, long lo, byte[] key) {
        int k = o + HEADER_BYTES;
        return hi(c, o) == hi && lo(c, o) == lo && keyLength(c, o) == key.length
                && Arrays.equals(c, k, k + key.length, key, 0, key.length);
    }

    /** Engine order, (token, key) unsigned, between two records. */
    static int compare(byte[] c1, int o1, byte[] c2, int o2) {
        int r = Long.compareUnsigned(hi(c1, o1), hi(c2, o2));
        if (r != 0) {
            return r;
        }
        r = Long.compareUnsigned(lo(c1, o1), lo(c2, o2));
        if (r != 0) {
            return r;
        }
        int k1 = o1 + HEADER_BYTES;
        int k2 = o2 + HEADER_BYTES;
        return Arrays.compareUnsigned(c1, k1, k1 + keyLength(c1, o1), c2, k2, k2 + keyLength(c2, o2));
    }

    /** Compares the record's token with (hi, lo), unsigned. */
    static int compareToken(byte[] c, int o, long hi, long lo) {
        int r = Long.compareUnsigned(hi(c, o), hi);
        return r != 0 ? r : Long.compareUnsigned(lo(c, o), lo);
    }

    /** The record as a fresh entry (its own token, key and value arrays). */
    static InternalEntry decode(byte[] c, int o) {
        byte[] token = new byte[16];
        LONG.set(token, 0, hi(c, o));
        LONG.set(token, 8, lo(c, o));
        int k = o + HEADER_BYTES;
        return decode(c, o, token, Arrays.copyOfRange(c, k, k + keyLength(c, o)));
    }

    /** The record as an entry reusing the caller's {@code token} and {@code key}, which it matches. */
    static InternalEntry decode(byte[] c, int o, byte[] token, byte[] key) {
        int v = o + HEADER_BYTES + keyLength(c, o);
        int valueLength = (int) INT.get(c, o + VALUE_LENGTH);
        return new InternalEntry(token, key, seq(c, o), EntryKind.fromCode(c[o + KIND]),
                (long) LONG.get(c, o + TIMESTAMP), Arrays.copyOfRange(c, v, v + valueLength));
    }
}
