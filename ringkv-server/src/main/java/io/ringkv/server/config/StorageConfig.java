package io.ringkv.server.config;

import io.ringkv.storage.Compression;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import java.nio.file.Path;

/**
 * The storage engine's tunables as the config file names them; {@link #toOptions(Path)} turns
 * them into {@link StorageOptions}. The defaults are the engine's own (read from
 * {@link StorageOptions#builder(Path)}), so the two can never drift apart.
 */
public record StorageConfig(
        SyncPolicy syncPolicy,
        long commitLogSegmentBytes,
        long memtableBytes,
        int maxImmutableMemtables,
        int blockSizeBytes,
        Compression compression,
        double bloomFalsePositiveRate,
        long blockCacheBytes,
        int compactionMinThreshold,
        int compactionMaxThreshold,
        int maxTablesBeforeStall,
        long tombstoneGracePeriodMillis) {

    /** Options for an engine in {@code dataDirectory}; merge operator, purge policy and listener are the caller's. */
    public StorageOptions.Builder toOptions(Path dataDirectory) {
        return StorageOptions.builder(dataDirectory)
                .syncPolicy(syncPolicy)
                .commitLogSegmentBytes(commitLogSegmentBytes)
                .memtableFlushThresholdBytes(memtableBytes)
                .maxImmutableMemtables(maxImmutableMemtables)
                .blockSizeBytes(blockSizeBytes)
                .compression(compression)
                .bloomFalsePositiveRate(bloomFalsePositiveRate)
                .blockCacheBytes(blockCacheBytes)
                .compactionMinThreshold(compactionMinThreshold)
                .compactionMaxThreshold(compactionMaxThreshold)
                .maxTablesBeforeStall(maxTablesBeforeStall)
                .tombstoneGracePeriodMillis(tombstoneGracePeriodMillis);
    }
}
