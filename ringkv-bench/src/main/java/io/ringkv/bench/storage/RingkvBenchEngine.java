package io.ringkv.bench.storage;

import io.ringkv.bench.storage.StorageBenchmarkParams.EngineKind;
import io.ringkv.storage.Compression;
import io.ringkv.storage.EngineListener;
import io.ringkv.storage.EngineStats;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ringkv's engine with the benchmark's settings. Every setting that has a RocksDB twin is set
 * explicitly (even where it equals today's default) so a change of defaults cannot silently
 * change what the comparison measures; {@link RocksDbBenchEngine} sets the same values.
 */
final class RingkvBenchEngine implements BenchEngine {
    /** Without per-write fsync, ringkv still fsyncs the log in the background this often. */
    static final long PERIODIC_SYNC_MILLIS = 1_000;

    private final StorageEngine engine;
    private final Path dir;
    private final AtomicLong logSyncs;

    private RingkvBenchEngine(StorageEngine engine, Path dir, AtomicLong logSyncs) {
        this.engine = engine;
        this.dir = dir;
        this.logSyncs = logSyncs;
    }

    static RingkvBenchEngine open(Path dir, Durability durability, long blockCacheBytes) {
        AtomicLong logSyncs = new AtomicLong();
        StorageOptions options = StorageOptions.builder(dir)
                .syncPolicy(switch (durability) {
                    case LOG_NO_FSYNC -> SyncPolicy.periodic(PERIODIC_SYNC_MILLIS);
                    case FSYNC_EACH_WRITE -> SyncPolicy.always();
                })
                .memtableFlushThresholdBytes(EngineSettings.MEMTABLE_BYTES)
                .maxImmutableMemtables(EngineSettings.IMMUTABLE_MEMTABLES)
                .blockSizeBytes(EngineSettings.BLOCK_BYTES)
                .compression(Compression.LZ4)
                .bloomFalsePositiveRate(EngineSettings.BLOOM_FALSE_POSITIVE_RATE)
                .blockCacheBytes(blockCacheBytes)
                .listener(new EngineListener() {
                    @Override
                    public void onCommitLogSync(int records, long durationNanos) {
                        logSyncs.incrementAndGet();
                    }
                })
                .build();
        return new RingkvBenchEngine(StorageEngine.open(options), dir, logSyncs);
    }

    @Override
    public EngineKind kind() {
        return EngineKind.RINGKV;
    }

    @Override
    public void put(byte[] key, byte[] value) {
        engine.put(key, value);
    }

    @Override
    public int get(byte[] key, byte[] into) {
        byte[] value = engine.get(key); // ringkv's API returns a fresh array: that cost is ringkv's
        if (value == null) {
            return -1;
        }
        System.arraycopy(value, 0, into, 0, Math.min(value.length, into.length));
        return value.length;
    }

    @Override
    public void flush() {
        engine.flush();
    }

    @Override
    public void compactAll() {
        engine.compactAll();
    }

    @Override
    public DiskUsage diskUsage() {
        EngineStats s = engine.stats();
        return new DiskUsage(s.commitLogBytesWritten(), s.flushBytesWritten(), s.compactionBytesWritten(),
                s.liveTableBytes(), BenchEngine.directoryBytes(dir));
    }

    /** The engine's own write amplification (its own user-byte count as denominator). */
    double ownWriteAmplification() {
        return engine.stats().writeAmplification();
    }

    @Override
    public EngineCounters counters() {
        EngineStats s = engine.stats();
        return new EngineCounters(s.bloomNegatives(), s.blockCacheHits(), s.blockCacheMisses(), logSyncs.get(),
                s.writeStallNanos(), s.liveTables());
    }

    @Override
    public void close() {
        engine.close();
    }
}
