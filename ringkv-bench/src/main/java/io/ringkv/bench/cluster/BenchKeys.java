package io.ringkv.bench.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Keys and values of a cluster benchmark run. Key {@code i} is the prefix followed by {@code i}
 * in decimal (readable with curl: {@code /api/v1/kv/bench-xyz-123}); the ring hashes keys with
 * MD5, so consecutive numbers land on unrelated tokens. Values are slices of one random buffer
 * at a position chosen per write, so writing costs no random-number generation and compression
 * could not flatter the figures.
 */
final class BenchKeys {
    private static final int VALUE_POOL_BYTES = 1 << 20;

    private final byte[] prefix;
    private final int count;
    private final int valueBytes;
    private final byte[] valuePool;

    BenchKeys(String prefix, int count, int valueBytes, long seed) {
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
        this.count = count;
        this.valueBytes = valueBytes;
        this.valuePool = new byte[Math.max(VALUE_POOL_BYTES, 2 * valueBytes)];
        new SplittableRandom(seed).nextBytes(valuePool);
    }

    int count() {
        return count;
    }

    byte[] key(int index) {
        byte[] digits = Integer.toString(index).getBytes(StandardCharsets.US_ASCII);
        byte[] key = Arrays.copyOf(prefix, prefix.length + digits.length);
        System.arraycopy(digits, 0, key, prefix.length, digits.length);
        return key;
    }

    byte[] value(SplittableRandom random) {
        int offset = random.nextInt(valuePool.length - valueBytes + 1);
        return Arrays.copyOfRange(valuePool, offset, offset + valueBytes);
    }
}
