package io.ringkv.storage.format;

/**
 * Writing unsigned LEB128 varints, the integer encoding of the SSTable and commit log formats
 * (docs/design/storage-format.md, commit-log.md): 7 bits per byte, least-significant group
 * first, the high bit set on every byte but the last; at most 10 bytes for a 64-bit value.
 * Signed values that may be negative go through {@link #zigzag} first (as protobuf does), so
 * small magnitudes of either sign stay short. Each format decodes with its own bounds checks.
 */
public final class Varint {
    public static final int MAX_LONG_BYTES = 10;

    private Varint() {
    }

    /** Bytes needed to encode {@code v}, taken as unsigned. */
    public static int size(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    /** Writes {@code v} at {@code off}; returns the offset after it. */
    public static int put(byte[] b, int off, long v) {
        while ((v & ~0x7FL) != 0) {
            b[off++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[off++] = (byte) v;
        return off;
    }

    /** Maps a signed value to an unsigned one with small magnitudes first: 0, -1, 1, -2, 2 ... */
    public static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    /** The inverse of {@link #zigzag}. */
    public static long unzigzag(long u) {
        return (u >>> 1) ^ -(u & 1);
    }
}
