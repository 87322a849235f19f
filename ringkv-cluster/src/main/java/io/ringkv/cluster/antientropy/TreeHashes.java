package io.ringkv.cluster.antientropy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hash functions of the Merkle trees (docs/design/anti-entropy.md, "The tree"): a key's
 * digest covers its bytes and its sibling set's canonical encoding; a leaf hashes its keys'
 * digests in (token, key) order; a parent hashes its two children. All are the first 8 bytes
 * (big-endian) of an MD5, the function the ring already uses for tokens: not for secrecy (the
 * peers are trusted) but because a 64-bit prefix of a well-mixed hash makes an undetected
 * difference in one compare a 2^-64 event. Zero stands for "nothing here" at every level.
 */
final class TreeHashes {
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(TreeHashes::md5);
    /** A leaf accumulates while key digests are computed: its own instance per thread. */
    private static final ThreadLocal<MessageDigest> LEAF_MD5 = ThreadLocal.withInitial(TreeHashes::md5);

    private TreeHashes() {
    }

    /** Digest of one key: MD5(keyLength:u32 key siblings). */
    static long keyDigest(byte[] key, byte[] canonicalSiblings) {
        MessageDigest md = MD5.get();
        md.update((byte) (key.length >>> 24));
        md.update((byte) (key.length >>> 16));
        md.update((byte) (key.length >>> 8));
        md.update((byte) key.length);
        md.update(key);
        md.update(canonicalSiblings);
        return nonZero(first8(md.digest()));
    }

    static long parent(long left, long right) {
        if (left == 0 && right == 0) {
            return 0;
        }
        MessageDigest md = MD5.get();
        update(md, left);
        update(md, right);
        return nonZero(first8(md.digest()));
    }

    /** Accumulates one leaf's digests, in scan order. */
    static final class Leaf {
        private final MessageDigest md = LEAF_MD5.get();
        private int keys;

        Leaf() {
            md.reset();
        }

        void add(long digest) {
            update(md, digest);
            keys++;
        }

        long hash() {
            return keys == 0 ? 0 : nonZero(first8(md.digest()));
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java platform", e);
        }
    }

    private static void update(MessageDigest md, long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            md.update((byte) (v >>> shift));
        }
    }

    private static long first8(byte[] d) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (d[i] & 0xFF);
        }
        return v;
    }

    /** Zero means "empty"; the one in 2^64 real hash that is zero becomes one. */
    private static long nonZero(long h) {
        return h == 0 ? 1 : h;
    }
}
