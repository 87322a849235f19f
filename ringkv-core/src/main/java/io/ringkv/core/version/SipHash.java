package io.ringkv.core.version;

/**
 * SipHash-2-4, a keyed pseudorandom function over short inputs (Aumasson and Bernstein 2012,
 * "SipHash: a fast short-input PRF"): 64 bits of output under a 128-bit key. ringkv uses it as
 * the message authentication code of the contexts it hands to clients ({@link ContextCodec}):
 * fast enough for every get and put (a few dozen nanoseconds for a context), stateless so any
 * thread, virtual ones included, can call it without a per-thread instance, and designed exactly
 * for authenticating short messages. Implemented from the paper; checked against its test
 * vectors ({@code SipHashTest}).
 */
final class SipHash {
    private final long k0;
    private final long k1;

    /** @param key 16 bytes, read as two little-endian 64-bit words as the paper specifies */
    SipHash(byte[] key) {
        if (key.length != 16) {
            throw new IllegalArgumentException("a SipHash key is 16 bytes, got " + key.length);
        }
        this.k0 = littleEndian(key, 0);
        this.k1 = littleEndian(key, 8);
    }

    long hash(byte[] data, int offset, int length) {
        State s = new State(k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL, k0 ^ 0x6c7967656e657261L,
                k1 ^ 0x7465646279746573L);
        int end = offset + length - (length % 8);
        for (int i = offset; i < end; i += 8) {
            s.compress(littleEndian(data, i));
        }
        long last = ((long) length & 0xFF) << 56;
        for (int i = 0; i < length % 8; i++) {
            last |= (data[end + i] & 0xFFL) << (8 * i);
        }
        s.compress(last);
        s.v2 ^= 0xFF;
        for (int round = 0; round < 4; round++) {
            s.sipRound();
        }
        return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
    }

    /** The four state words; one per call, which escape analysis keeps off the heap. */
    private static final class State {
        long v0;
        long v1;
        long v2;
        long v3;

        State(long v0, long v1, long v2, long v3) {
            this.v0 = v0;
            this.v1 = v1;
            this.v2 = v2;
            this.v3 = v3;
        }

        /** One message word with c = 2 rounds. */
        void compress(long m) {
            v3 ^= m;
            sipRound();
            sipRound();
            v0 ^= m;
        }

        void sipRound() {
            v0 += v1;
            v1 = Long.rotateLeft(v1, 13) ^ v0;
            v0 = Long.rotateLeft(v0, 32);
            v2 += v3;
            v3 = Long.rotateLeft(v3, 16) ^ v2;
            v0 += v3;
            v3 = Long.rotateLeft(v3, 21) ^ v0;
            v2 += v1;
            v1 = Long.rotateLeft(v1, 17) ^ v2;
            v2 = Long.rotateLeft(v2, 32);
        }
    }

    private static long littleEndian(byte[] b, int i) {
        long v = 0;
        for (int j = 7; j >= 0; j--) {
            v = (v << 8) | (b[i + j] & 0xFFL);
        }
        return v;
    }
}
