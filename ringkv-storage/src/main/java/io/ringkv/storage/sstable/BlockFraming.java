package io.ringkv.storage.sstable;

import io.ringkv.storage.Compression;
import io.ringkv.storage.CorruptionException;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * The framed block of docs/design/storage-format.md ("Framed block"): stored bytes, one
 * compression byte, and a CRC32C over both. Every block of every kind goes through
 * {@link #verify} before any of its bytes are interpreted.
 */
final class BlockFraming {
    static final int TRAILER_BYTES = 5;
    /** LZ4 is kept only if it saves at least 1/8 of the block (the RocksDB rule). */
    private static final int MIN_SAVING_DIVISOR = 8;
    private static final int LZ4_HEADER_BYTES = 4;

    private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();
    private static final LZ4Compressor COMPRESSOR = LZ4.fastCompressor();
    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4.safeDecompressor();

    private BlockFraming() {
    }

    static int crc(byte[] stored, int off, int len, byte compressionCode) {
        CRC32C crc = new CRC32C();
        crc.update(stored, off, len);
        crc.update(compressionCode);
        return (int) crc.getValue();
    }

    /** Writes {@code stored[0, len)}'s trailer into {@code trailer[0, 5)}. */
    static void trailer(byte[] stored, int len, byte compressionCode, byte[] trailer) {
        trailer[0] = compressionCode;
        BigEndian.putInt(trailer, 1, crc(stored, 0, len, compressionCode));
    }

    /**
     * Compresses {@code content[0, len)} into {@code scratch} when worthwhile. Returns the
     * stored length in {@code scratch}, or -1 if the block should be stored uncompressed.
     */
    static int compressInto(byte[] content, int len, byte[] scratch) {
        BigEndian.putInt(scratch, 0, len);
        int compressed = COMPRESSOR.compress(content, 0, len, scratch, LZ4_HEADER_BYTES,
                scratch.length - LZ4_HEADER_BYTES);
        int stored = LZ4_HEADER_BYTES + compressed;
        return stored <= len - len / MIN_SAVING_DIVISOR ? stored : -1;
    }

    static int maxCompressedBytes(int len) {
        return LZ4_HEADER_BYTES + COMPRESSOR.maxCompressedLength(len);
    }

    /**
     * Verifies a framed block read from disk ({@code framed} holds stored bytes and trailer) and
     * returns its compression; throws {@link CorruptionException} on any mismatch.
     */
    static Compression verify(Path file, long offset, byte[] framed, String region) {
        int storedLength = framed.length - TRAILER_BYTES;
        if (storedLength < 0) {
            throw new CorruptionException(file, offset, region + " block shorter than its trailer");
        }
        byte code = framed[storedLength];
        int expected = BigEndian.getInt(framed, storedLength + 1);
        if (crc(framed, 0, storedLength, code) != expected) {
            throw new CorruptionException(file, offset, region + " block checksum mismatch");
        }
        try {
            return Compression.fromCode(code);
        } catch (IllegalArgumentException e) {
            throw new CorruptionException(file, offset, region + " block has unknown compression code " + code);
        }
    }

    /**
     * The content of a verified data block: {@code framed} itself when stored uncompressed
     * (the caller ignores the trailer), otherwise a new decompressed array. The content length
     * is the array length minus {@link #contentSlack}.
     */
    static byte[] content(Path file, long offset, byte[] framed, Compression compression) {
        if (compression == Compression.NONE) {
            return framed;
        }
        int storedLength = framed.length - TRAILER_BYTES;
        if (storedLength < LZ4_HEADER_BYTES) {
            throw new CorruptionException(file, offset, "LZ4 block shorter than its length header");
        }
        int uncompressed = BigEndian.getInt(framed, 0);
        if (uncompressed < 0) {
            throw new CorruptionException(file, offset, "implausible uncompressed length " + uncompressed);
        }
        byte[] out = new byte[uncompressed];
        try {
            int n = DECOMPRESSOR.decompress(framed, LZ4_HEADER_BYTES, storedLength - LZ4_HEADER_BYTES, out, 0, uncompressed);
            if (n != uncompressed) {
                throw new CorruptionException(file, offset,
                        "LZ4 block decompressed to " + n + " bytes, header says " + uncompressed);
            }
        } catch (LZ4Exception e) {
            throw new CorruptionException(file, offset, "LZ4 block does not decompress: " + e.getMessage());
        }
        return out;
    }

    /** Bytes at the end of {@link #content}'s array that are not content. */
    static int contentSlack(Compression compression) {
        return compression == Compression.NONE ? TRAILER_BYTES : 0;
    }
}
