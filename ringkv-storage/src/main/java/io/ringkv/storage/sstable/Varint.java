package io.ringkv.storage.sstable;

/**
 * Unsigned LEB128 varints as specified in docs/design/storage-format.md (encoding is shared
 * with the commit log: {@link io.ringkv.storage.format.Varint}). Decoding never reads
 * past {@code limit} and rejects over-long encodings, so damaged bytes surface as
 * {@link MalformedException} rather than as a wrong number.
 */
final class Varint {
    static final int MAX_LONG_BYTES = io.ringkv.storage.format.Varint.MAX_LONG_BYTES;

    private Varint() {
    }

    /** Bytes needed to encode {@code v}. */
    static int size(long v) {
        return io.ringkv.storage.format.Varint.size(v);
    }

    /** Writes {@code v} at {@code off}; returns the offset after it. */
    static int put(byte[] b, int off, long v) {
        return io.ringkv.storage.format.Varint.put(b, off, v);
    }

    /**
     * Decodes a u64 at {@code off}; the value is returned and the offset after it is stored in
     * {@code cursor[0]}. Allocation-free callers use {@link #getInt} for lengths instead.
     */
    static long getLong(byte[] b, int off, int limit, int[] cursor) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (off >= limit) {
                throw new MalformedException("varint runs past the end of its region");
            }
            byte x = b[off++];
            if (shift == 63 && (x & 0xFE) != 0) {
                throw new MalformedException("varint overflows 64 bits");
            }
            result |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                cursor[0] = off;
                return result;
            }
        }
        throw new MalformedException("varint longer than 10 bytes");
    }

    /**
     * Decodes a non-negative int (a length) at {@code off}. Returns the value in the low 32 bits
     * and the encoded size in the high 32 bits, so that callers need no cursor object.
     */
    static long getIntAndSize(byte[] b, int off, int limit) {
        int result = 0;
        int start = off;
        for (int shift = 0; shift < 35; shift += 7) {
            if (off >= limit) {
                throw new MalformedException("varint runs past the end of its region");
            }
            byte x = b[off++];
            result |= (x & 0x7F) << shift;
            if (x >= 0) {
                if (shift == 28 && (x & 0x78) != 0 || result < 0) {
                    throw new MalformedException("length varint exceeds 2^31 - 1");
                }
                return ((long) (off - start) << 32) | (result & 0xFFFFFFFFL);
            }
        }
        throw new MalformedException("length varint longer than 5 bytes");
    }

    static int value(long intAndSize) {
        return (int) intAndSize;
    }

    static int encodedSize(long intAndSize) {
        return (int) (intAndSize >>> 32);
    }
}
