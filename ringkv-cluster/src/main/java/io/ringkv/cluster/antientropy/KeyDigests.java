package io.ringkv.cluster.antientropy;

import io.ringkv.core.version.SiblingsCodec;

/**
 * The digest of one stored key, over a canonical encoding of its sibling set so that replicas
 * holding equal sets agree whatever merges produced them. Everything the replica layer writes
 * is already canonical ({@code SiblingsCodec.encode} of a {@code Siblings}, which keeps its
 * versions in canonical order), so the stored bytes are hashed as they are; only a value in an
 * older format (1, before exact contexts) is decoded and re-encoded first.
 */
public final class KeyDigests {
    private KeyDigests() {
    }

    public static long digest(byte[] key, byte[] storedValue) {
        return TreeHashes.keyDigest(key, canonical(storedValue));
    }

    static byte[] canonical(byte[] storedValue) {
        if (storedValue.length > 0 && (storedValue[0] & 0xFF) == SiblingsCodec.FORMAT) {
            return storedValue;
        }
        try {
            return SiblingsCodec.encode(SiblingsCodec.decode(storedValue));
        } catch (RuntimeException e) {
            return storedValue; // unreadable: hashed as is, and it is the store's corruption to report, not ours
        }
    }
}
