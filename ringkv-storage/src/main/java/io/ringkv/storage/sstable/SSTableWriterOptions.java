package io.ringkv.storage.sstable;

import io.ringkv.storage.Compression;
import io.ringkv.storage.StorageOptions;
import java.util.Objects;

/**
 * How one table is written.
 *
 * @param blockSizeBytes         target uncompressed size of a data block; 64 bytes to 64 MiB
 * @param compression            data block compression
 * @param bloomFalsePositiveRate bloom filter false-positive rate, in (0, 1)
 * @param expectedEntries        entries the caller expects to append; sizes the bloom filter.
 *                               Pass an upper bound: more entries raise the false-positive rate
 */
public record SSTableWriterOptions(int blockSizeBytes, Compression compression, double bloomFalsePositiveRate,
                                   long expectedEntries) {
    public static final int MIN_BLOCK_SIZE_BYTES = 64;
    public static final int MAX_BLOCK_SIZE_BYTES = 64 << 20;

    public SSTableWriterOptions {
        Objects.requireNonNull(compression, "compression");
        if (blockSizeBytes < MIN_BLOCK_SIZE_BYTES || blockSizeBytes > MAX_BLOCK_SIZE_BYTES) {
            throw new IllegalArgumentException("block size must be between " + MIN_BLOCK_SIZE_BYTES + " and "
                    + MAX_BLOCK_SIZE_BYTES + " bytes, was " + blockSizeBytes);
        }
        if (!(bloomFalsePositiveRate > 0 && bloomFalsePositiveRate < 1)) {
            throw new IllegalArgumentException("bloom false-positive rate must be in (0, 1), was " + bloomFalsePositiveRate);
        }
        if (expectedEntries < 0) {
            throw new IllegalArgumentException("expected entries must not be negative, was " + expectedEntries);
        }
    }

    /** The engine's configured block size, compression and bloom rate, for a table of about {@code expectedEntries}. */
    public static SSTableWriterOptions from(StorageOptions options, long expectedEntries) {
        return new SSTableWriterOptions(options.blockSizeBytes(), options.compression(),
                options.bloomFalsePositiveRate(), expectedEntries);
    }
}
