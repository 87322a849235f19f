package io.ringkv.storage.memtable;

import java.util.Arrays;

/**
 * The first record of every key in a memtable, bucketed by the top bits of its token (up to
 * {@value #MAX_BUCKET_BITS}), so that copying a small token range visits only that range's keys.
 *
 * <p>Why: the {@link TokenIndex} is a hash table in no useful order, so a range copy used to
 * walk all of it (a million slots for a full 64 MiB memtable) under the engine's write lock,
 * however small the range. Anti-entropy copies one Merkle leaf's range (1/2^18 of the ring) at a
 * time, back to back, and every copy stalled the writers for the whole walk: write p99 under
 * background repair was 1.8x idle. With buckets, a leaf's copy reads one bucket (a hundred keys
 * or so) and looks each up in the index for its current record.
 *
 * <p>A key is added once, when it is new to the memtable; records that replace it later are found
 * through the index. Costs 8 bytes per key. Writer only: read it only while the writer is
 * excluded (under the write lock, or once the memtable is immutable).
 */
final class RangeDirectory {
    static final int MAX_BUCKET_BITS = 12;
    /** Buckets are made for about this many keys each, when the memtable fills as expected. */
    private static final int KEYS_PER_BUCKET = 32;
    private static final int FINGERPRINT_BITS = 20;
    private static final int INITIAL_BUCKET_CAPACITY = 4;

    private final int shift;
    private final long[][] buckets;
    private final int[] sizes;
    private long bytes;

    /** @param expectedKeys sizes the bucket table (at most 2^12 buckets), so a small memtable pays little */
    RangeDirectory(long expectedKeys) {
        int bits = Math.min(MAX_BUCKET_BITS, 63 - Long.numberOfLeadingZeros(Math.max(1, expectedKeys / KEYS_PER_BUCKET)));
        this.shift = FINGERPRINT_BITS - bits;
        this.buckets = new long[1 << bits][];
        this.sizes = new int[1 << bits];
        this.bytes = 8L * buckets.length + 4L * sizes.length;
    }

    /** Records a new key whose first record is at {@code address}; {@code fingerprint} is its token's top 20 bits. */
    void add(long fingerprint, long address) {
        int b = bucket(fingerprint);
        long[] bucket = buckets[b];
        int size = sizes[b];
        if (bucket == null || size == bucket.length) {
            int capacity = bucket == null ? INITIAL_BUCKET_CAPACITY : bucket.length * 2;
            bucket = bucket == null ? new long[capacity] : Arrays.copyOf(bucket, capacity);
            bytes += 8L * (capacity - size);
            buckets[b] = bucket;
        }
        bucket[size] = address;
        sizes[b] = size + 1;
    }

    /** Receives the first record's address of every key in buckets that may hold fingerprints in [min, max]. */
    void forEach(long minFingerprint, long maxFingerprint, java.util.function.LongConsumer firstAddress) {
        for (int b = bucket(minFingerprint), last = bucket(maxFingerprint); b <= last; b++) {
            long[] bucket = buckets[b];
            for (int i = 0, n = sizes[b]; i < n; i++) {
                firstAddress.accept(bucket[i]);
            }
        }
    }

    /** Bytes of memory held: the bucket arrays, grown slack included. */
    long bytes() {
        return bytes;
    }

    private int bucket(long fingerprint) {
        return (int) (fingerprint >>> shift);
    }
}
