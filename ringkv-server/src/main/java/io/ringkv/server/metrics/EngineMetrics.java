package io.ringkv.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ringkv.storage.EngineListener;
import io.ringkv.storage.EngineStats;
import io.ringkv.storage.StorageEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the storage engine's events into Micrometer meters, so the engine itself needs no
 * metrics library (the Pebble EventListener pattern, STYLE.md). Events become timers and
 * counters as they happen; {@link #bindStats} adds gauges and counters read from
 * {@link StorageEngine#stats()} at scrape time. Every name starts with {@code ringkv.storage.}.
 */
public final class EngineMetrics implements EngineListener {
    private static final Logger log = LoggerFactory.getLogger(EngineMetrics.class);

    private static final Duration[] SYNC_BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
        Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(100), Duration.ofSeconds(1)};

    private final MeterRegistry registry;
    private final Timer flushes;
    private final DistributionSummary flushBytes;
    private final Timer compactions;
    private final DistributionSummary compactionInputBytes;
    private final DistributionSummary compactionOutputBytes;
    private final Timer writeStalls;
    private final Timer commitLogSyncs;
    private final DistributionSummary commitLogSyncRecords;
    private final Counter corruptions;
    private final Counter tailTruncations;

    public EngineMetrics(MeterRegistry registry) {
        this.registry = registry;
        flushes = Timer.builder("ringkv.storage.flushes").description("memtable flushes and their duration").register(registry);
        flushBytes = DistributionSummary.builder("ringkv.storage.flush.bytes").baseUnit("bytes")
                .description("bytes written per flush").register(registry);
        compactions = Timer.builder("ringkv.storage.compactions").description("compactions and their duration").register(registry);
        compactionInputBytes = DistributionSummary.builder("ringkv.storage.compaction.input.bytes").baseUnit("bytes").register(registry);
        compactionOutputBytes = DistributionSummary.builder("ringkv.storage.compaction.output.bytes").baseUnit("bytes").register(registry);
        writeStalls = Timer.builder("ringkv.storage.write.stalls")
                .description("times a writer waited because flushing or compaction fell behind").register(registry);
        // Buckets, not only count and sum: an acknowledged durable write waits for one of these, so
        // their tail is the tail of every durable write; the mean hides the rare slow fsync.
        commitLogSyncs = Timer.builder("ringkv.storage.commitlog.syncs").description("commit log fsyncs and their duration")
                .serviceLevelObjectives(SYNC_BUCKETS).register(registry);
        commitLogSyncRecords = DistributionSummary.builder("ringkv.storage.commitlog.sync.records")
                .description("records covered by one fsync (group commit)").register(registry);
        corruptions = Counter.builder("ringkv.storage.corruptions").description("damaged bytes found (never served)").register(registry);
        tailTruncations = Counter.builder("ringkv.storage.commitlog.tail.truncations")
                .description("torn commit log tails dropped during replay").register(registry);
    }

    /** Exposes {@code engine.stats()}: sizes as gauges, running totals as counters. */
    public void bindStats(StorageEngine engine) {
        gauge("ringkv.storage.live.tables", engine, s -> s.liveTables(), "SSTables in the current manifest");
        gauge("ringkv.storage.live.table.bytes", engine, s -> s.liveTableBytes(), "their size on disk");
        gauge("ringkv.storage.memtables", engine, s -> s.memtables(), "the active memtable and those awaiting their flush");
        gauge("ringkv.storage.memtable.bytes", engine, s -> s.memtableBytes(), "active and flushing memtables");
        gauge("ringkv.storage.live.entries.estimate", engine, s -> s.liveEntriesEstimate(), "entries (upper bound)");
        gauge("ringkv.storage.write.amplification", engine, EngineStats::writeAmplification, "disk bytes per user byte");
        total("ringkv.storage.user.bytes.written", engine, s -> s.userBytesWritten());
        total("ringkv.storage.commitlog.bytes.written", engine, s -> s.commitLogBytesWritten());
        total("ringkv.storage.flush.bytes.written", engine, s -> s.flushBytesWritten());
        total("ringkv.storage.compaction.bytes.written", engine, s -> s.compactionBytesWritten());
        total("ringkv.storage.block.cache.hits", engine, s -> s.blockCacheHits());
        total("ringkv.storage.block.cache.misses", engine, s -> s.blockCacheMisses());
        total("ringkv.storage.block.cache.rejections", engine, s -> s.blockCacheRejections());
        total("ringkv.storage.bloom.negatives", engine, s -> s.bloomNegatives());
        total("ringkv.storage.write.stall.seconds", engine, s -> s.writeStallNanos() / 1e9);
    }

    private void gauge(String name, StorageEngine engine, ToDoubleFunction<EngineStats> read, String description) {
        Gauge.builder(name, engine, e -> read.applyAsDouble(e.stats())).description(description).strongReference(true).register(registry);
    }

    private void total(String name, StorageEngine engine, ToDoubleFunction<EngineStats> read) {
        FunctionCounter.builder(name, engine, e -> read.applyAsDouble(e.stats())).register(registry);
    }

    @Override
    public void onFlush(long entries, long bytes, long durationNanos) {
        flushes.record(durationNanos, TimeUnit.NANOSECONDS);
        flushBytes.record(bytes);
    }

    @Override
    public void onCompaction(int inputTables, long inputBytes, long outputBytes, long durationNanos) {
        compactions.record(durationNanos, TimeUnit.NANOSECONDS);
        compactionInputBytes.record(inputBytes);
        compactionOutputBytes.record(outputBytes);
    }

    @Override
    public void onWriteStall(long durationNanos) {
        writeStalls.record(durationNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onCommitLogSync(int records, long durationNanos) {
        commitLogSyncs.record(durationNanos, TimeUnit.NANOSECONDS);
        commitLogSyncRecords.record(records);
    }

    @Override
    public void onCorruption(Path file, long offset, String what) {
        corruptions.increment();
        log.error("corruption in {} at offset {}: {} (not served)", file, offset, what);
    }

    @Override
    public void onCommitLogTailTruncated(Path segment, long offset, long bytesDropped) {
        tailTruncations.increment();
        log.warn("commit log {}: dropped a torn tail of {} bytes at offset {} during replay", segment, bytesDropped, offset);
    }
}
