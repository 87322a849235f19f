package io.ringkv.storage.memtable;

import io.ringkv.storage.format.KeyOrder;
import java.util.Arrays;
import java.util.Comparator;

/**
 * A memtable key: the token unpacked into two longs so that comparing two keys in engine order
 * is usually one unsigned long comparison on fields of this object, instead of chasing an
 * entry and then its token array (each a likely cache miss in a big skip list). The key bytes
 * are only compared when tokens tie, which for MD5 tokens means equal keys.
 */
final class MemKey {
    static final Comparator<MemKey> ORDER = (a, b) -> {
        int c = Long.compareUnsigned(a.hi, b.hi);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(a.lo, b.lo);
        return c != 0 ? c : Arrays.compareUnsigned(a.key, b.key);
    };

    final long hi;
    final long lo;
    final byte[] key;

    MemKey(byte[] token, byte[] key) {
        if (token.length != KeyOrder.TOKEN_BYTES) {
            throw new IllegalArgumentException("token must be " + KeyOrder.TOKEN_BYTES + " bytes, was " + token.length);
        }
        this.hi = readLong(token, 0);
        this.lo = readLong(token, 8);
        this.key = key;
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemKey k && k.hi == hi && k.lo == lo && Arrays.equals(k.key, key);
    }

    /** The token is already a uniform hash of the key. */
    @Override
    public int hashCode() {
        return (int) (hi ^ (hi >>> 32));
    }
}
