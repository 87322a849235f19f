package io.ringkv.storage.memtable;

import java.util.Arrays;

/**
 * Append-only memory for one memtable's records: a few large {@code byte[]} chunks, each record
 * a run of bytes at an <em>address</em> ({@code chunkIndex << 25 | offset}). LevelDB's
 * {@code util/arena.cc} and RocksDB's memtable arena, for the same reason.
 *
 * <p>Why: a memtable holds a few hundred thousand records that all live until the flush. As
 * Java objects (entry, token, key, value, skip list node and index nodes) each record was about
 * eight objects, and every young collection traced and copied all of them: the write benchmark
 * spent 1-2 s of each million writes in GC, and the skip list's pointer chasing topped the
 * profile. In chunks they are a handful of objects to the collector, and a record's fields sit
 * on one or two cache lines.
 *
 * <p>One writer at a time (the engine's write lock). Readers only follow addresses they got
 * from the {@link TokenIndex} with acquire semantics; the writer fills a record's bytes (and
 * publishes a new chunk) before it releases the address, so a reader always sees whole records.
 * Nothing is ever overwritten or reused: a replaced record stays until the memtable is dropped.
 */
final class MemArena {
    /** Largest chunk when the collector is not G1 (or will not say). */
    static final int DEFAULT_MAX_CHUNK_BYTES = (1 << 20) - 64;
    static final int MIN_CHUNK_BYTES = 4096;
    /** Room for the array header, so a chunk of "region size" fits in exactly one region. */
    private static final int ARRAY_HEADER_ALLOWANCE = 64;
    /** Offsets within a chunk: chunks are at most 32 MiB (G1's largest region) and a larger record gets its own. */
    static final int OFFSET_BITS = 25;
    private static final int OFFSET_MASK = (1 << OFFSET_BITS) - 1;
    /** Addresses fit in 44 bits ({@link TokenIndex} packs them with a fingerprint). */
    static final int MAX_CHUNKS = 1 << (44 - OFFSET_BITS - 1);

    private final int chunkBytes;
    /** Grows by copying; republished (volatile) whenever a chunk is added. */
    private volatile byte[][] chunks = new byte[8][];
    private int chunkCount;
    private byte[] current;
    private int currentIndex;
    private int position;
    /** Bytes handed out plus the unusable tails of filled chunks. Written by the writer only. */
    private long usedBytes;

    /** @param expectedBytes how big the memtable will grow; small memtables get small chunks */
    MemArena(long expectedBytes) {
        this.chunkBytes = chunkBytesFor(expectedBytes, G1Regions.REGION_BYTES);
    }

    /**
     * About 1/16 of the memtable, but under G1 a memtable of at least four heap regions gets
     * chunks of exactly one region (so at most a quarter of the last chunk goes unused): G1 allocates an array that large ("humongous") directly in its own region, never
     * copies it, and frees it at the first young collection after it died. Ordinary chunks were
     * copied eden to survivor to old by every young collection while the memtable filled
     * (0.4-0.7 s of GC pauses per million writes).
     *
     * @param g1RegionBytes G1's region size, or 0 if the collector is not G1
     */
    static int chunkBytesFor(long expectedBytes, long g1RegionBytes) {
        long wanted = Math.max(MIN_CHUNK_BYTES, expectedBytes / 16);
        if (g1RegionBytes > 0 && expectedBytes >= 4 * g1RegionBytes) {
            return (int) Math.min(Integer.MAX_VALUE, g1RegionBytes - ARRAY_HEADER_ALLOWANCE);
        }
        long ordinaryMax = g1RegionBytes > 0 ? g1RegionBytes / 2 - ARRAY_HEADER_ALLOWANCE : DEFAULT_MAX_CHUNK_BYTES;
        return (int) Math.min(wanted, ordinaryMax);
    }

    /**
     * Reserves {@code length} bytes and returns their address. The caller fills them through
     * {@link #chunk(long)} and {@link #offset(long)} before publishing the address. Writer only.
     */
    long allocate(int length) {
        if (length > chunkBytes) {
            // A record bigger than a chunk gets an array of its own; the current chunk stays open.
            usedBytes += length;
            return (long) addChunk(new byte[length]) << OFFSET_BITS;
        }
        if (current == null || current.length - position < length) {
            if (current != null) {
                usedBytes += current.length - position;
            }
            current = new byte[chunkBytes];
            currentIndex = addChunk(current);
            position = 0;
        }
        long address = ((long) currentIndex << OFFSET_BITS) | position;
        position += length;
        usedBytes += length;
        return address;
    }

    private int addChunk(byte[] chunk) {
        if (chunkCount == MAX_CHUNKS) {
            throw new IllegalStateException("memtable arena is full (" + MAX_CHUNKS + " chunks)");
        }
        byte[][] all = chunks;
        if (chunkCount == all.length) {
            all = Arrays.copyOf(all, all.length * 2);
        }
        all[chunkCount] = chunk;
        chunks = all; // publish (also when the array did not grow: orders the element write)
        return chunkCount++;
    }

    /** The chunk holding {@code address}. */
    byte[] chunk(long address) {
        return chunks[(int) (address >>> OFFSET_BITS)];
    }

    static int offset(long address) {
        return (int) (address & OFFSET_MASK);
    }

    long usedBytes() {
        return usedBytes;
    }
}
