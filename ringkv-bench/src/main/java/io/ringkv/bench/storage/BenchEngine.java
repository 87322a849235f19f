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
        BenchEngine open(EngineKind kind, Path dir, Durability durability, long blockCacheBytes);
    }

    static BenchEngine open(EngineKind kind, Path dir, Durability durability, long blockCacheBytes) {
        return switch (kind) {
            case RINGKV -> RingkvBenchEngine.open(dir, durability, blockCacheBytes);
            case ROCKSDBJNI -> RocksDbBenchEngine.open(dir, durability, blockCacheBytes);
            case DB_BENCH -> throw new IllegalArgumentException("db_bench runs as its own process (DbBenchRunner)");
        };
    }

    EngineKind kind();

    void put(byte[] key, byte[] value);

    /**
     * Copies the value of {@code key} into {@code into}, as far as it fits, and returns its full
     * length, or -1 when the key is absent. The caller's buffer, because rocksdbjni has an
     * allocation-free read that fills one, and a fair comparison uses it.
     */
    int get(byte[] key, byte[] into);

    /** Writes the memtable to a table file and waits for it. */
    void flush();

    /** Compacts all data into one sorted run and waits for it. */
    void compactAll();

    /** Bytes written so far by kind (as far as the engine counts them), and bytes on disk now. */
    DiskUsage diskUsage();

    /** Cumulative counters that explain a row's figures (bloom skips, fsyncs, stalls). */
    EngineCounters counters();

    @Override
    void close();

    /**
     * @param logBytesWritten        commit log / WAL bytes written since open (-1: the engine does not count them)
     * @param flushBytesWritten      table bytes written by memtable flushes (-1: not counted)
     * @param compactionBytesWritten table bytes written by compactions (-1: not counted)
     * @param tableBytes             live table (SSTable) bytes now
     * @param directoryBytes         every file in the engine's directory now (tables, log, manifest)
     */
    record DiskUsage(long logBytesWritten, long flushBytesWritten, long compactionBytesWritten,
                     long tableBytes, long directoryBytes) {

        /** Whether the engine counted log, flush and compaction bytes itself. */
        boolean engineCounted() {
            return logBytesWritten >= 0 && flushBytesWritten >= 0 && compactionBytesWritten >= 0;
        }
    }

    /**
     * Every counter is -1 when the engine does not count it (RocksDB runs with statistics off, as
     * its production deployments do, so the counters cannot cost it throughput).
     *
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
            return new EngineCounters(delta(bloomNegatives, before.bloomNegatives),
                    delta(blockCacheHits, before.blockCacheHits), delta(blockCacheMisses, before.blockCacheMisses),
                    delta(logSyncs, before.logSyncs), delta(stallNanos, before.stallNanos), tables);
        }

        private static long delta(long now, long before) {
            return now < 0 || before < 0 ? -1 : now - before;
        }

        static final EngineCounters UNCOUNTED = new EngineCounters(-1, -1, -1, -1, -1, -1);
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
