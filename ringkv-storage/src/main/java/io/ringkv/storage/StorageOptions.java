package io.ringkv.storage;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * Everything the engine can be tuned with. Defaults are the documented production defaults
 * (docs/configuration.md); build with {@link #builder(Path)}.
 *
 * @param dataDirectory              where the commit log, SSTables and manifest live
 * @param syncPolicy                 commit log fsync policy; default {@code batch(2)}
 * @param commitLogSegmentBytes      a segment is closed and a new one started past this size; default 64 MiB
 * @param memtableFlushThresholdBytes the active memtable is swapped and flushed past this size; default 64 MiB
 * @param maxImmutableMemtables      memtables waiting to flush before writers slow down; default 2
 * @param blockSizeBytes             target uncompressed size of an SSTable data block; default 16 KiB
 * @param compression                data block compression; default LZ4
 * @param bloomFalsePositiveRate     bloom filter false-positive rate per table; default 0.01
 * @param blockCacheBytes            decompressed block cache capacity; default 256 MiB
 * @param compactionMinThreshold     size-tiered: tables of similar size merged together at least this many; default 4
 * @param compactionMaxThreshold     size-tiered: at most this many tables per compaction; default 32
 * @param maxTablesBeforeStall       writers slow down when this many tables are live; default 64
 * @param tombstoneGracePeriodMillis tombstones younger than this are never purged; default 10 days
 * @param mergeOperator              combines merge operands; {@code null} disables {@link StorageEngine#merge}
 * @param purgePolicy                lets the node layer mark values as purgeable tombstones
 * @param listener                   receives flush, compaction, stall and corruption events
 * @param clock                      wall clock for tombstone ages; injectable for tests
 */
public record StorageOptions(
        Path dataDirectory,
        SyncPolicy syncPolicy,
        long commitLogSegmentBytes,
        long memtableFlushThresholdBytes,
        int maxImmutableMemtables,
        int blockSizeBytes,
        Compression compression,
        double bloomFalsePositiveRate,
        long blockCacheBytes,
        int compactionMinThreshold,
        int compactionMaxThreshold,
        int maxTablesBeforeStall,
        long tombstoneGracePeriodMillis,
        MergeOperator mergeOperator,
        PurgePolicy purgePolicy,
        EngineListener listener,
        Clock clock) {

    public StorageOptions {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(syncPolicy, "syncPolicy");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(purgePolicy, "purgePolicy");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(clock, "clock");
        require(commitLogSegmentBytes >= 4096, "commit log segment size must be at least 4096 bytes");
        require(memtableFlushThresholdBytes >= 4096, "memtable flush threshold must be at least 4096 bytes");
        require(maxImmutableMemtables >= 1, "max immutable memtables must be at least 1");
        require(blockSizeBytes >= 512 && blockSizeBytes <= 1 << 20, "block size must be between 512 bytes and 1 MiB");
        require(bloomFalsePositiveRate > 0 && bloomFalsePositiveRate < 1, "bloom false-positive rate must be in (0, 1)");
        require(blockCacheBytes >= 0, "block cache size must not be negative");
        require(compactionMinThreshold >= 2, "compaction min threshold must be at least 2");
        require(compactionMaxThreshold >= compactionMinThreshold, "compaction max threshold must be >= min threshold");
        require(maxTablesBeforeStall > compactionMinThreshold, "max tables before stall must exceed the compaction min threshold");
        require(tombstoneGracePeriodMillis >= 0, "tombstone grace period must not be negative");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    public static Builder builder(Path dataDirectory) {
        return new Builder(dataDirectory);
    }

    public Builder toBuilder() {
        return new Builder(dataDirectory)
                .syncPolicy(syncPolicy).commitLogSegmentBytes(commitLogSegmentBytes)
                .memtableFlushThresholdBytes(memtableFlushThresholdBytes).maxImmutableMemtables(maxImmutableMemtables)
                .blockSizeBytes(blockSizeBytes).compression(compression).bloomFalsePositiveRate(bloomFalsePositiveRate)
                .blockCacheBytes(blockCacheBytes).compactionMinThreshold(compactionMinThreshold)
                .compactionMaxThreshold(compactionMaxThreshold).maxTablesBeforeStall(maxTablesBeforeStall)
                .tombstoneGracePeriodMillis(tombstoneGracePeriodMillis).mergeOperator(mergeOperator)
                .purgePolicy(purgePolicy).listener(listener).clock(clock);
    }

    /** Builder with the documented defaults. */
    public static final class Builder {
        private final Path dataDirectory;
        private SyncPolicy syncPolicy = SyncPolicy.batch(2);
        private long commitLogSegmentBytes = 64L << 20;
        private long memtableFlushThresholdBytes = 64L << 20;
        private int maxImmutableMemtables = 2;
        private int blockSizeBytes = 16 << 10;
        private Compression compression = Compression.LZ4;
        private double bloomFalsePositiveRate = 0.01;
        private long blockCacheBytes = 256L << 20;
        private int compactionMinThreshold = 4;
        private int compactionMaxThreshold = 32;
        private int maxTablesBeforeStall = 64;
        private long tombstoneGracePeriodMillis = 10L * 24 * 3600 * 1000;
        private MergeOperator mergeOperator;
        private PurgePolicy purgePolicy = PurgePolicy.NEVER;
        private EngineListener listener = EngineListener.NONE;
        private Clock clock = Clock.systemUTC();

        private Builder(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
        }

        public Builder syncPolicy(SyncPolicy v) { this.syncPolicy = v; return this; }
        public Builder commitLogSegmentBytes(long v) { this.commitLogSegmentBytes = v; return this; }
        public Builder memtableFlushThresholdBytes(long v) { this.memtableFlushThresholdBytes = v; return this; }
        public Builder maxImmutableMemtables(int v) { this.maxImmutableMemtables = v; return this; }
        public Builder blockSizeBytes(int v) { this.blockSizeBytes = v; return this; }
        public Builder compression(Compression v) { this.compression = v; return this; }
        public Builder bloomFalsePositiveRate(double v) { this.bloomFalsePositiveRate = v; return this; }
        public Builder blockCacheBytes(long v) { this.blockCacheBytes = v; return this; }
        public Builder compactionMinThreshold(int v) { this.compactionMinThreshold = v; return this; }
        public Builder compactionMaxThreshold(int v) { this.compactionMaxThreshold = v; return this; }
        public Builder maxTablesBeforeStall(int v) { this.maxTablesBeforeStall = v; return this; }
        public Builder tombstoneGracePeriodMillis(long v) { this.tombstoneGracePeriodMillis = v; return this; }
        public Builder mergeOperator(MergeOperator v) { this.mergeOperator = v; return this; }
        public Builder purgePolicy(PurgePolicy v) { this.purgePolicy = v; return this; }
        public Builder listener(EngineListener v) { this.listener = v; return this; }
        public Builder clock(Clock v) { this.clock = v; return this; }

        public StorageOptions build() {
            return new StorageOptions(dataDirectory, syncPolicy, commitLogSegmentBytes, memtableFlushThresholdBytes,
                    maxImmutableMemtables, blockSizeBytes, compression, bloomFalsePositiveRate, blockCacheBytes,
                    compactionMinThreshold, compactionMaxThreshold, maxTablesBeforeStall, tombstoneGracePeriodMillis,
                    mergeOperator, purgePolicy, listener, clock);
        }
    }
}
