package io.ringkv.bench.storage;

import io.ringkv.bench.common.LatencySummary;
import io.ringkv.bench.common.ProcessMeters;
import io.ringkv.bench.common.ProgressMeter;
import io.ringkv.bench.storage.BenchEngine.DiskUsage;
import io.ringkv.bench.storage.BenchEngine.Durability;
import io.ringkv.bench.storage.BenchEngine.EngineCounters;
import io.ringkv.bench.storage.StorageBenchmarkParams.EngineKind;
import io.ringkv.bench.storage.StorageBenchmarkParams.Row;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Runs the rows against one in-process engine, in three phases with a fresh directory each:
 * <ol>
 *   <li>load and read: warm up, random writes of every key (no per-write fsync) and the flush
 *       that makes them a table (both timed: the write row), measure write amplification,
 *       compact fully, measure space, then the two read rows;</li>
 *   <li>durable writes: N concurrent writers, each write acknowledged after an fsync;</li>
 *   <li>larger than the cache: load a data set several times the (smaller) block cache, compact,
 *       then uniformly random reads, and a 50/50 mix of reads and writes.</li>
 * </ol>
 * Both engines go through exactly this code in the same order, so any difference in the
 * figures is the engines'.
 */
final class EngineRun {
    /** Untimed warm-up as a fraction of a row's ops, capped, so the JIT and caches are warm first. */
    private static final int WARMUP_DIVISOR = 10;
    private static final long WARMUP_MAX_OPS = 100_000;
    /** Extra time a durable-write thread gets past the row deadline before it is declared stuck. */
    private static final long JOIN_GRACE_MILLIS = 60_000;

    private final EngineKind kind;
    private final BenchEngine.Opener opener;
    private final StorageBenchmarkParams params;
    private final KeySpace keys;
    private final PrintStream out;
    private final BenchmarkResults results;

    EngineRun(EngineKind kind, BenchEngine.Opener opener, StorageBenchmarkParams params, KeySpace keys, PrintStream out,
              BenchmarkResults results) {
        this.kind = kind;
        this.opener = opener;
        this.params = params;
        this.keys = keys;
        this.out = out;
        this.results = results;
    }

    /** Rows 1-3 in {@code dir}, which must not exist yet. */
    void loadAndRead(Path dir) {
        long osWritesAtOpen = ProcessIo.bytesWritten();
        try (BenchEngine engine = opener.open(kind, dir, Durability.LOG_NO_FSYNC, EngineSettings.BLOCK_CACHE_BYTES)) {
            keepOptionsFile(engine, "load");
            long warmupWrites = warmupOps(params.keys());
            TimedLoop warm = loop(engine, TimedLoop.Kind.PUT, KeySpace.WARMUP_BASE, params.keys(), 0)
                    .run(warmupWrites, deadline(), null);
            long warmupBytes = warm.userBytes;

            RowResult load = measure(engine, Row.RANDOM_WRITE, TimedLoop.Kind.PUT, 0, params.keys(), params.keys(), 0);
            long userBytes = warmupBytes + load.userBytes();
            long t0 = System.nanoTime();
            engine.flush();
            long flushNanos = System.nanoTime() - t0;
            if (params.runs(Row.RANDOM_WRITE)) {
                // The writes are done when they are in a table, as db_bench's fill + flush are.
                results.add(load.plusNanos(flushNanos).withNote(writeNote(engine, flushNanos)));
            }
            results.addAmplification(new BenchmarkResults.Amplification(kind, "after load + flush", userBytes,
                    engine.diskUsage(), ProcessIo.bytesWritten() - osWritesAtOpen, flushNanos,
                    ownWriteAmplification(engine)));
            t0 = System.nanoTime();
            engine.compactAll();
            long compactNanos = System.nanoTime() - t0;
            results.addAmplification(new BenchmarkResults.Amplification(kind, "after full compaction", userBytes,
                    engine.diskUsage(), ProcessIo.bytesWritten() - osWritesAtOpen, compactNanos,
                    ownWriteAmplification(engine)));
            out.printf(Locale.ROOT, "  %s: flush %.2f s, full compaction %.2f s, %d tables%n",
                    kind.id(), flushNanos / 1e9, compactNanos / 1e9, engine.counters().tables());

            if (params.runs(Row.RANDOM_READ)) {
                loop(engine, TimedLoop.Kind.GET_EXISTING, 0, params.keys(), params.seed() + 1)
                        .run(warmupOps(params.readOps()), deadline(), null);
                results.add(measureReads(engine, Row.RANDOM_READ, TimedLoop.Kind.GET_EXISTING, 0, params.keys(),
                        params.readOps()));
            }
            if (params.runs(Row.MISSING_READ)) {
                // Warm up on missing keys the timed row does not use.
                long warmupMissing = warmupOps(params.missingReadOps());
                loop(engine, TimedLoop.Kind.GET_MISSING, KeySpace.MISSING_BASE + params.missingReadOps(), 0, 0)
                        .run(warmupMissing, deadline(), null);
                results.add(measureReads(engine, Row.MISSING_READ, TimedLoop.Kind.GET_MISSING,
                        KeySpace.MISSING_BASE, 0, params.missingReadOps()));
            }
        }
    }

    /**
     * The big rows in {@code dir}, which must not exist yet: a data set at least
     * {@link StorageBenchmarkParams#MIN_BIG_DATA_TO_CACHE} times the block cache, so most reads
     * miss the cache and go to the file (the operating system's page cache holds it: the rows
     * measure the engine's work per miss, not the disk).
     */
    void bigData(Path dir) {
        int bigKeys = params.bigKeys();
        try (BenchEngine engine = opener.open(kind, dir, Durability.LOG_NO_FSYNC, params.bigCacheBytes())) {
            keepOptionsFile(engine, "big");
            try (ProgressMeter progress = ProgressMeter.start(out, kind.id() + " big load", bigKeys,
                    params.progressInterval())) {
                loop(engine, TimedLoop.Kind.PUT, 0, bigKeys, 0).run(bigKeys, deadline(), progress);
            }
            engine.flush();
            engine.compactAll();
            long warmup = warmupOps(params.readOps());
            if (params.runs(Row.BIG_READ)) {
                loop(engine, TimedLoop.Kind.GET_EXISTING, 0, bigKeys, params.seed() + 3).run(warmup, deadline(), null);
                results.add(measureReads(engine, Row.BIG_READ, TimedLoop.Kind.GET_EXISTING, 0, bigKeys,
                        params.readOps()));
            }
            if (params.runs(Row.BIG_MIXED)) {
                loop(engine, TimedLoop.Kind.MIXED, 0, bigKeys, params.seed() + 4).run(warmup, deadline(), null);
                results.add(measureReads(engine, Row.BIG_MIXED, TimedLoop.Kind.MIXED, 0, bigKeys, params.readOps()));
            }
        }
    }

    /** Row 4 in {@code dir}, which must not exist yet. */
    void durableWrites(Path dir) {
        try (BenchEngine engine = opener.open(kind, dir, Durability.FSYNC_EACH_WRITE, EngineSettings.BLOCK_CACHE_BYTES)) {
            keepOptionsFile(engine, "sync");
            int writers = params.syncWriters();
            int perWriter = params.syncWritesPerWriter();
            concurrentPuts(engine, writers, Math.max(1, perWriter / WARMUP_DIVISOR), KeySpace.WARMUP_BASE, null);
            EngineCounters before = engine.counters();
            long planned = (long) writers * perWriter;
            RowResult result;
            try (ProgressMeter progress = ProgressMeter.start(out, label(Row.SYNC_WRITE), planned,
                    params.progressInterval())) {
                result = concurrentPuts(engine, writers, perWriter, KeySpace.SYNC_BASE, progress);
            }
            EngineCounters delta = engine.counters().minus(before);
            String syncs = delta.logSyncs() < 0 ? "fsyncs not counted"
                    : delta.logSyncs() > 0
                    ? String.format(Locale.ROOT, "%,d fsyncs, %.1f writes/fsync", delta.logSyncs(),
                            (double) result.opsDone() / delta.logSyncs())
                    : "no fsyncs counted";
            results.add(result.withNote(syncs));
        }
    }

    private RowResult concurrentPuts(BenchEngine engine, int writers, int perWriter, long base, ProgressMeter progress) {
        long deadline = deadline();
        CountDownLatch startGate = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<TimedLoop> loops = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            TimedLoop loop = loop(engine, TimedLoop.Kind.PUT, base + (long) w * perWriter, 0, 0);
            loops.add(loop);
            // Platform threads: RocksDB's fsync happens inside a JNI call, which would pin a
            // virtual thread's carrier; with two cores that would cap concurrency at two.
            threads.add(Thread.ofPlatform().name("sync-writer-" + w).start(() -> {
                try {
                    startGate.await();
                    loop.run(perWriter, deadline, progress);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        ProcessMeters metersBefore = ProcessMeters.now();
        long t0 = System.nanoTime();
        startGate.countDown();
        long joinUntil = deadline + TimeUnit.MILLISECONDS.toNanos(JOIN_GRACE_MILLIS);
        for (Thread thread : threads) {
            long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinUntil - System.nanoTime()));
            try {
                thread.join(waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for writers", e);
            }
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " did not finish within the row time limit + "
                        + JOIN_GRACE_MILLIS + " ms; the engine may be stuck");
            }
        }
        long elapsed = System.nanoTime() - t0;
        ProcessMeters meters = ProcessMeters.now().since(metersBefore);
        if (failure.get() != null) {
            throw new IllegalStateException("a writer failed: " + failure.get(), failure.get());
        }
        Histogram merged = LatencySummary.newNanosHistogram();
        long done = 0;
        long bytes = 0;
        for (TimedLoop loop : loops) {
            merged.add(loop.latencyNanos);
            done += loop.opsDone;
            bytes += loop.userBytes;
        }
        return new RowResult(Row.SYNC_WRITE, kind, (long) writers * perWriter, done, 0, elapsed, bytes,
                LatencySummary.of(merged), meters, "");
    }

    private RowResult measure(BenchEngine engine, Row row, TimedLoop.Kind loopKind, long base, long keySpan, long ops,
                              long seed) {
        TimedLoop loop = loop(engine, loopKind, base, keySpan, seed);
        ProcessMeters metersBefore = ProcessMeters.now();
        try (ProgressMeter progress = ProgressMeter.start(out, label(row), ops, params.progressInterval())) {
            loop.run(ops, deadline(), progress);
        }
        return new RowResult(row, kind, ops, loop.opsDone, loop.wrongAnswers, loop.elapsedNanos, loop.userBytes,
                LatencySummary.of(loop.latencyNanos), ProcessMeters.now().since(metersBefore), "");
    }

    private RowResult measureReads(BenchEngine engine, Row row, TimedLoop.Kind loopKind, long base, long keySpan,
                                   long ops) {
        EngineCounters before = engine.counters();
        // The same seed for every engine: they read the same keys in the same order.
        RowResult result = measure(engine, row, loopKind, base, keySpan, ops, params.seed() + 2);
        EngineCounters delta = engine.counters().minus(before);
        return result.withNote(delta.blockCacheHits() < 0 ? "statistics off"
                : String.format(Locale.ROOT, "bloom skips %,d, block cache hits %,d misses %,d",
                        delta.bloomNegatives(), delta.blockCacheHits(), delta.blockCacheMisses()));
    }

    private static String writeNote(BenchEngine engine, long flushNanos) {
        EngineCounters c = engine.counters();
        String stalls = c.stallNanos() < 0 ? "stalls not counted"
                : String.format(Locale.ROOT, "write stalls %.2f s", c.stallNanos() / 1e9);
        return String.format(Locale.ROOT, "incl. final flush %.2f s, %s, %d tables", flushNanos / 1e9, stalls, c.tables());
    }

    private TimedLoop loop(BenchEngine engine, TimedLoop.Kind loopKind, long base, long keySpan, long seed) {
        return new TimedLoop(engine, keys, loopKind, base, keySpan, seed);
    }

    /** RocksDB's options file of this phase, kept with the results. */
    private void keepOptionsFile(BenchEngine engine, String phase) {
        if (engine instanceof RocksDbBenchEngine rocksdb) {
            RocksDbOptionsFile.keep(rocksdb.dir(), params.resultsDir(), "rocksdbjni-" + phase, out);
        }
    }

    private static double ownWriteAmplification(BenchEngine engine) {
        return engine instanceof RingkvBenchEngine ringkv ? ringkv.ownWriteAmplification() : Double.NaN;
    }

    private long deadline() {
        return System.nanoTime() + params.rowTimeLimit().toNanos();
    }

    private String label(Row row) {
        return kind.id() + " " + row.title();
    }

    private static long warmupOps(long rowOps) {
        return Math.min(WARMUP_MAX_OPS, rowOps / WARMUP_DIVISOR);
    }
}
