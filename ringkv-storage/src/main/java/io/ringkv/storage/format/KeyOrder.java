package io.ringkv.storage.format;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The engine's one sort order: by ring token (the 16-byte MD5 of the key, compared as an
 * unsigned big-endian number, exactly as the ring places keys), then by the key bytes
 * (unsigned). Ordering by token lets anti-entropy and range transfer iterate one token
 * range without touching the rest. The engine computes tokens itself so that storage needs
 * nothing from the cluster code; the ring module's Token uses the same definition.
 */
public final class KeyOrder {
    public static final int TOKEN_BYTES = 16;

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java platform", e);
        }
    });

    private KeyOrder() {
    }

    /** The ring token of {@code key}: its MD5 digest. */
    public static byte[] token(byte[] key) {
        return MD5.get().digest(key);
    }

    /** Unsigned lexicographic comparison, used for both tokens and keys. */
    public static int compareUnsigned(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    /** Compares two (token, key) pairs in engine order. */
    public static int compare(byte[] tokenA, byte[] keyA, byte[] tokenB, byte[] keyB) {
        int c = Arrays.compareUnsigned(tokenA, tokenB);
        return c != 0 ? c : Arrays.compareUnsigned(keyA, keyB);
    }

    /**
     * Whether {@code token} lies in the ring range (fromExclusive, toInclusive]. Ranges wrap
     * around the top of the ring when {@code fromExclusive >= toInclusive}; equal bounds mean
     * the whole ring.
     */
    public static boolean inRange(byte[] token, byte[] fromExclusive, byte[] toInclusive) {
        int order = Arrays.compareUnsigned(fromExclusive, toInclusive);
        boolean afterFrom = Arrays.compareUnsigned(token, fromExclusive) > 0;
        boolean upToTo = Arrays.compareUnsigned(token, toInclusive) <= 0;
        if (order < 0) {
            return afterFrom && upToTo;
        }
        if (order == 0) {
            return true;
        }
        return afterFrom || upToTo;
    }
}
