package io.ringkv.storage.memtable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The memtable's only index: an open-addressing hash table with linear probing (Knuth, TAOCP
 * vol. 3, 6.4) from a key to the address of its one record in the {@link MemArena}.
 *
 * <p>Each slot is one {@code long}: 0 when empty, else {@code fingerprint << 44 | (address + 1)}
 * where the fingerprint is the token's top 20 bits (scans and the flush's sort use it without
 * touching the arena). The slot number is a Fibonacci hash of the token's low half XOR a seed
 * drawn per table: tokens are MD5 digests, so uniform already, but anyone can compute them, and
 * keys chosen to share low token bits would otherwise pile into one long probe run (hash
 * flooding). A probe rarely reads a record whose fingerprint differs, so a lookup is about one
 * cache miss in the table and one in the arena; a skip list of the same size needs about twenty.
 *
 * <p>Concurrency: one writer (the engine's write lock) and lock-free readers. The writer fills a
 * record, then stores its slot with release semantics; readers load slots with acquire. A slot
 * only ever goes from empty to an address, or from an address to a newer record's address of
 * the same key. When the table passes 3/4 full the writer builds one twice the size and
 * publishes it; a reader still probing the old one sees the state of a moment during its read.
 */
final class TokenIndex {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int FINGERPRINT_SHIFT = 44;
    private static final long ADDRESS_MASK = (1L << FINGERPRINT_SHIFT) - 1;
    private static final int MIN_SLOTS = 16;
    private static final int MAX_SLOTS = 1 << 30;

    private final MemArena arena;
    private final long seed = ThreadLocalRandom.current().nextLong();
    private volatile long[] slots;
    /** Keys in the table. Writer only. */
    private int count;

    /** @param expectedKeys sizes the table so that this many keys fit without growing it */
    TokenIndex(MemArena arena, long expectedKeys) {
        this.arena = arena;
        long wanted = Math.max(MIN_SLOTS, expectedKeys + expectedKeys / 3 + 1);
        this.slots = new long[(int) Math.min(MAX_SLOTS, Long.highestOneBit(wanted - 1) << 1)];
    }

    /** The address of the record for (hi, lo, key), or -1. Lock-free. */
    long find(long hi, long lo, byte[] key) {
        long[] t = slots;
        int mask = t.length - 1;
        long fingerprint = hi >>> FINGERPRINT_SHIFT;
        for (int i = home(lo, t.length); ; i = (i + 1) & mask) {
            long s = (long) SLOT.getAcquire(t, i);
            if (s == 0) {
                return -1;
            }
            if (s >>> FINGERPRINT_SHIFT == fingerprint) {
                long address = (s & ADDRESS_MASK) - 1;
                if (MemRecord.matches(arena.chunk(address), MemArena.offset(address), hi, lo, key)) {
                    return address;
                }
            }
        }
    }

    /**
     * The address of the current record of the key whose record (any of its records) is at
     * {@code anyRecord}. Lock-free, like {@link #find}.
     */
    long current(long anyRecord) {
        byte[] chunk = arena.chunk(anyRecord);
        int offset = MemArena.offset(anyRecord);
        long[] t = slots;
        int mask = t.length - 1;
        long fingerprint = MemRecord.hi(chunk, offset) >>> FINGERPRINT_SHIFT;
        for (int i = home(MemRecord.lo(chunk, offset), t.length); ; i = (i + 1) & mask) {
            long s = (long) SLOT.getAcquire(t, i);
            if (s == 0) {
                throw new IllegalStateException("a memtable record's key is missing from the index");
            }
            if (s >>> FINGERPRINT_SHIFT == fingerprint) {
                long address = (s & ADDRESS_MASK) - 1;
                if (address == anyRecord
                        || MemRecord.compare(arena.chunk(address), MemArena.offset(address), chunk, offset) == 0) {
                    return address;
                }
            }
        }
    }

    /**
     * Points the key's slot at {@code address}, a filled record of the key (writer only). Returns
     * the address it replaced, or -1 if the key is new.
     */
    long put(long hi, long lo, byte[] key, long address) {
        if (count + 1 > slots.length - (slots.length >>> 2)) {
            grow();
        }
        long[] t = slots;
        int mask = t.length - 1;
        long fingerprint = hi >>> FINGERPRINT_SHIFT;
        long slot = fingerprint << FINGERPRINT_SHIFT | (address + 1);
        for (int i = home(lo, t.length); ; i = (i + 1) & mask) {
            long s = t[i];
            if (s == 0) {
                SLOT.setRelease(t, i, slot);
                count++;
                return -1;
            }
            if (s >>> FINGERPRINT_SHIFT == fingerprint) {
                long old = (s & ADDRESS_MASK) - 1;
                if (MemRecord.matches(arena.chunk(old), MemArena.offset(old), hi, lo, key)) {
                    SLOT.setRelease(t, i, slot);
                    return old;
                }
            }
        }
    }

    /** The first slot to probe for a token whose low half is {@code lo}, in a table of {@code slots} (a power of two). */
    private int home(long lo, int slots) {
        return (int) (((lo ^ seed) * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(slots)));
    }

    private void grow() {
        long[] old = slots;
        if (old.length == MAX_SLOTS) {
            throw new IllegalStateException("memtable index is full (" + count + " keys)");
        }
        long[] t = new long[old.length * 2];
        int mask = t.length - 1;
        for (long s : old) {
            if (s != 0) {
                long address = (s & ADDRESS_MASK) - 1;
                int i = home(MemRecord.lo(arena.chunk(address), MemArena.offset(address)), t.length);
                while (t[i] != 0) {
                    i = (i + 1) & mask;
                }
                t[i] = s;
            }
        }
        slots = t; // volatile: publishes the filled table
    }

    /** Receives one key of {@link #forEach}. */
    @FunctionalInterface
    interface SlotSink {
        void accept(long fingerprint, long address);
    }

    /**
     * Calls {@code sink} with the fingerprint and address of every key's record whose fingerprint (top 20 token
     * bits) lies in [{@code minFingerprint}, {@code maxFingerprint}]. Exact while the writer is
     * excluded (the caller holds the write lock, or the memtable is immutable); otherwise it
     * sees some of the concurrent writes, each whole.
     */
    void forEach(long minFingerprint, long maxFingerprint, SlotSink sink) {
        long[] t = slots;
        for (int i = 0; i < t.length; i++) {
            long s = (long) SLOT.getAcquire(t, i); // a record seen here is whole, even while a writer runs
            if (s != 0) {
                long f = s >>> FINGERPRINT_SHIFT;
                if (f >= minFingerprint && f <= maxFingerprint) {
                    sink.accept(f, (s & ADDRESS_MASK) - 1);
                }
            }
        }
    }

    static long fingerprint(long hi) {
        return hi >>> FINGERPRINT_SHIFT;
    }

    static long maxFingerprint() {
        return -1L >>> FINGERPRINT_SHIFT;
    }

    long tableBytes() {
        return 8L * slots.length;
    }

    int count() {
        return count;
    }
}
