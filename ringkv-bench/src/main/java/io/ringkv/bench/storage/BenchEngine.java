package io.ringkv.bench.storage;

import io.ringkv.bench.storage.StorageBenchmarkParams.EngineKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The few operations the benchmark needs, with one adapter per engine, so every workload loop
 * is written once and runs unchanged against both. Durability is chosen when the engine is
 * opened because ringkv sets it per engine ({@code SyncPolicy}) while RocksDB sets it per write
 * ({@code WriteOptions.sync}); the RocksDB adapter keeps one {@code WriteOptions} for all writes.
 */
sealed interface BenchEngine extends AutoCloseable permits RingkvBenchEngine, RocksDbBenchEngine {

    /** How durable an acknowledged write is. */
    enum Durability {
        /** Appended to the log and handed to the OS; no fsync per write (survives a process crash). */
        LOG_NO_FSYNC,
        /** Acknowledged after an fsync that covers it (survives power loss); concurrent writers may share one. */
        FSYNC_EACH_WRITE
    }

    /** Opens an engine; the benchmark takes one so tests can make an engine fail on purpose. */
    @FunctionalInterface
    interface Opener {
        BenchEngine open(EngineKind kind, Path dir, Durability durability);
    }

    static BenchEngine open(EngineKind kind, Path dir, Durability durability) {
        return switch (kind) {
            case RINGKV -> RingkvBenchEngine.open(dir, durability);
            case ROCKSDB -> RocksDbBenchEngine.open(dir, durability);
        };
    }

    EngineKind kind();

    void put(byte[] key, byte[] value);

    /** The value, or {@code null} when absent. */
    byte[] get(byte[] key);

    /** Writes the memtable to a table file and waits for it. */
    void flush();

    /** Compacts all data into one sorted run and waits for it. */
    void compactAll();

    /** Bytes written so far by kind, and bytes on disk now. */
    DiskUsage diskUsage();

    /** Cumulative counters that explain a row's figures (bloom skips, fsyncs, stalls). */
    EngineCounters counters();

    @Override
    void close();

    /**
     * @param logBytesWritten        commit log / WAL bytes written since open
     * @param flushBytesWritten      table bytes written by memtable flushes
     * @param compactionBytesWritten table bytes written by compactions
     * @param tableBytes             live table (SSTable) bytes now
     * @param directoryBytes         every file in the engine's directory now (tables, log, manifest)
     */
    record DiskUsage(long logBytesWritten, long flushBytesWritten, long compactionBytesWritten,
                     long tableBytes, long directoryBytes) {

        long totalBytesWritten() {
            return logBytesWritten + flushBytesWritten + compactionBytesWritten;
        }
    }

    /**
     * @param bloomNegatives   table lookups a bloom filter ruled out
     * @param blockCacheHits   data block reads served by the block cache
     * @param blockCacheMisses data block reads that went to the file
     * @param logSyncs         commit log / WAL fsyncs
     * @param stallNanos       time writers were slowed or stopped by the engine
     * @param tables           live table files
     */
    record EngineCounters(long bloomNegatives, long blockCacheHits, long blockCacheMisses, long logSyncs,
                          long stallNanos, long tables) {

        EngineCounters minus(EngineCounters before) {
            return new EngineCounters(bloomNegatives - before.bloomNegatives, blockCacheHits - before.blockCacheHits,
                    blockCacheMisses - before.blockCacheMisses, logSyncs - before.logSyncs,
                    stallNanos - before.stallNanos, tables);
        }
    }

    /** Sum of the sizes of the regular files under {@code dir}. */
    static long directoryBytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // deleted by a compaction while we walked: not on disk any more
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + dir, e);
        }
    }
}
