package io.ringkv.core.ring;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A position on the ring: a 128-bit unsigned number. A key's token is the MD5 digest of its
 * bytes read as a big-endian unsigned number (Dynamo §4.2), the same definition the storage
 * engine uses to order its entries ({@code io.ringkv.storage.format.KeyOrder#token}), so a
 * token range on the ring is one contiguous scan in storage.
 *
 * @param high the upper 64 bits, compared unsigned
 * @param low  the lower 64 bits, compared unsigned
 */
public record Token(long high, long low) implements Comparable<Token> {
    public static final int BYTES = 16;
    public static final Token MIN = new Token(0, 0);
    public static final Token MAX = new Token(-1L, -1L);

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java platform", e);
        }
    });

    /** The token of a key: MD5 of its bytes. */
    public static Token of(byte[] key) {
        return fromBytes(MD5.get().digest(key));
    }

    /** Reads 16 big-endian bytes. */
    public static Token fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a token is " + BYTES + " bytes, got " + bytes.length);
        }
        return new Token(readLong(bytes, 0), readLong(bytes, 8));
    }

    /** Parses the 32-hex-digit form of {@link #toString()}. */
    public static Token parse(String hex) {
        if (hex.length() != 2 * BYTES) {
            throw new IllegalArgumentException("a token is " + 2 * BYTES + " hex digits, got " + hex.length() + ": " + hex);
        }
        try {
            return fromBytes(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a token is hex digits only: " + hex, e);
        }
    }

    public byte[] toBytes() {
        byte[] out = new byte[BYTES];
        writeLong(out, 0, high);
        writeLong(out, 8, low);
        return out;
    }

    @Override
    public int compareTo(Token o) {
        int c = Long.compareUnsigned(high, o.high);
        return c != 0 ? c : Long.compareUnsigned(low, o.low);
    }

    /** This token moved clockwise by {@code distance} (wrapping at the top of the ring). */
    Token plus(long distanceHigh, long distanceLow) {
        long lo = low + distanceLow;
        long carry = Long.compareUnsigned(lo, low) < 0 ? 1 : 0;
        return new Token(high + distanceHigh + carry, lo);
    }

    /** The 32-hex-digit big-endian form. */
    @Override
    public String toString() {
        return HexFormat.of().formatHex(toBytes());
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static void writeLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
