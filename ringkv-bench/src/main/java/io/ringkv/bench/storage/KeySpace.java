package io.ringkv.bench.storage;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The benchmark's keys and values, a pure function of (seed, index), so both engines see
 * byte-identical operations in the same order and a read can check the value it got back.
 *
 * <p>Key {@code i} is 16 to 24 bytes: the first 8 are {@code mix64(seed ^ i)}, a bijection
 * on 64-bit numbers (the SplitMix64 finalizer, Steele et al., OOPSLA 2014), so distinct
 * indices give distinct keys and consecutive indices land far apart in byte order: writing
 * indices 0, 1, 2... is a random-order load for RocksDB's bytewise comparator as well as for
 * ringkv's token order. The rest of the key is filler derived from the same hash.
 *
 * <p>Index ranges: [0, keys) are loaded; the missing-key row reads [{@link #MISSING_BASE}, ...)
 * which is never written; the durable-write row uses [{@link #SYNC_BASE}, ...) and the
 * warm-up [{@link #WARMUP_BASE}, ...). The ranges cannot overlap for any sane key count.
 *
 * <p>Values are slices of one random buffer at an offset derived from the index, like
 * db_bench's RandomGenerator: no per-write RNG cost inside the timed loop, and random bytes,
 * so compression neither helps nor flatters either engine.
 */
final class KeySpace {
    static final long MISSING_BASE = 1L << 40;
    static final long SYNC_BASE = 2L << 40;
    static final long WARMUP_BASE = 3L << 40;
    private static final int MIN_KEY_BYTES = 16;
    private static final int KEY_LENGTH_SPREAD = 9; // 16..24 bytes
    /** The mean key length: db_bench, which has fixed-size keys, gets keys of this size. */
    static final int MEAN_KEY_BYTES = MIN_KEY_BYTES + (KEY_LENGTH_SPREAD - 1) / 2;
    /** db_bench's RandomGenerator pool size: small enough that checking a read's value rarely misses the CPU cache. */
    private static final int VALUE_POOL_BYTES = 1 << 20;

    private final long seed;
    private final int valueBytes;
    private final byte[] valuePool;

    KeySpace(long seed, int valueBytes) {
        this.seed = seed;
        this.valueBytes = valueBytes;
        this.valuePool = new byte[Math.max(VALUE_POOL_BYTES, 2 * valueBytes)];
        new SplittableRandom(seed).nextBytes(valuePool);
    }

    int valueBytes() {
        return valueBytes;
    }

    byte[] key(long index) {
        long h = mix64(seed ^ index);
        return fill(new byte[MIN_KEY_BYTES + (int) Long.remainderUnsigned(h, KEY_LENGTH_SPREAD)], h);
    }

    /**
     * Key {@code index} in one of {@code scratch}'s arrays (one per key length, reused): for reads,
     * which the engines do not keep, so the harness allocates nothing per read (db_bench does not).
     */
    byte[] keyForRead(long index, byte[][] scratch) {
        long h = mix64(seed ^ index);
        int spread = (int) Long.remainderUnsigned(h, KEY_LENGTH_SPREAD);
        byte[] key = scratch[spread];
        if (key == null) {
            key = scratch[spread] = new byte[MIN_KEY_BYTES + spread];
        }
        return fill(key, h);
    }

    /** One reusable array per key length, for {@link #keyForRead}. */
    static byte[][] readScratch() {
        return new byte[KEY_LENGTH_SPREAD][];
    }

    private static byte[] fill(byte[] key, long h) {
        int length = key.length;
        long word = h;
        for (int i = 0; i < length; i++) {
            if (i > 0 && i % 8 == 0) {
                word = mix64(word + 0x9E3779B97F4A7C15L);
            }
            key[i] = (byte) (word >>> (56 - 8 * (i % 8)));
        }
        return key;
    }

    /** Length of key {@code index}, without building it (for user-byte accounting). */
    int keyLength(long index) {
        return MIN_KEY_BYTES + (int) Long.remainderUnsigned(mix64(seed ^ index), KEY_LENGTH_SPREAD);
    }

    byte[] value(long index) {
        int offset = valueOffset(index);
        return Arrays.copyOfRange(valuePool, offset, offset + valueBytes);
    }

    /** Whether {@code value} is exactly what {@link #value(long)} wrote for {@code index}. */
    boolean isValueOf(long index, byte[] value) {
        int offset = valueOffset(index);
        return value != null && Arrays.equals(value, 0, value.length, valuePool, offset, offset + valueBytes);
    }

    private int valueOffset(long index) {
        return (int) Long.remainderUnsigned(mix64(~seed ^ index), valuePool.length - valueBytes + 1);
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
