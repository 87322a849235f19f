package io.ringkv.client;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A key's position on the ring, computed exactly as the server does (ringkv-core's
 * {@code Token.of}, Dynamo §4.2): the MD5 digest of the key's bytes read as an unsigned
 * 128-bit big-endian number, kept as two longs compared unsigned. Reimplemented here (a few
 * lines) so that the client does not depend on the server's modules; KeyTokenTest holds the
 * two definitions together.
 *
 * @param high the upper 64 bits, compared unsigned
 * @param low  the lower 64 bits, compared unsigned
 */
record KeyToken(long high, long low) implements Comparable<KeyToken> {
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java platform", e);
        }
    });

    static KeyToken of(byte[] key) {
        byte[] d = MD5.get().digest(key);
        return new KeyToken(longAt(d, 0), longAt(d, 8));
    }

    /** The 32-hex-digit form of GET /api/v1/ring. */
    static KeyToken parse(String hex) {
        if (hex.length() != 32) {
            throw new IllegalArgumentException("a ring token is 32 hex digits, got \"" + hex + "\"");
        }
        return new KeyToken(Long.parseUnsignedLong(hex, 0, 16, 16), Long.parseUnsignedLong(hex, 16, 32, 16));
    }

    @Override
    public int compareTo(KeyToken o) {
        int c = Long.compareUnsigned(high, o.high);
        return c != 0 ? c : Long.compareUnsigned(low, o.low);
    }

    private static long longAt(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
