package io.ringkv.storage.engine;

import io.ringkv.storage.CorruptionException;
import io.ringkv.storage.EngineListener;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.compaction.CompactionChoice;
import io.ringkv.storage.compaction.CompactionPicker;
import io.ringkv.storage.compaction.Compactor;
import io.ringkv.storage.compaction.PurgeRule;
import io.ringkv.storage.compaction.TableInfo;
import io.ringkv.storage.format.InternalEntry;
import io.ringkv.storage.manifest.DataFiles;
import io.ringkv.storage.manifest.Manifest;
import io.ringkv.storage.manifest.ManifestFile;
import io.ringkv.storage.memtable.Memtable;
import io.ringkv.storage.sstable.BlockCache;
import io.ringkv.storage.sstable.ReadStats;
import io.ringkv.storage.sstable.SSTableMetadata;
import io.ringkv.storage.sstable.SSTableReader;
import io.ringkv.storage.sstable.SSTableWriter;
import io.ringkv.storage.sstable.SSTableWriterOptions;
import io.ringkv.storage.wal.CommitLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flushes and compactions, each on its own single thread so a long compaction never delays a
 * flush (and so writers). Both change the set of live tables only through the manifest lock:
 * write the new manifest durably, then publish the new {@link View}, then delete what the
 * manifest no longer needs. A crash between any two steps leaves files that the next open's
 * orphan clean-up removes, never a manifest pointing at a missing table.
 */
final class BackgroundWork {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundWork.class);
    /** Bound on back-to-back compactions per trigger; the next flush triggers more. */
    private static final int MAX_COMPACTIONS_PER_TRIGGER = 64;

    private final StorageOptions options;
    private final Path dir;
    private final EngineHooks hooks;
    private final EngineListener listener;
    private final ViewHolder views;
    private final BlockCache cache;
    private final ReadStats readStats;
    private final CompactionPicker picker;
    private final Compactor compactor;
    private final Consumer<Throwable> failWrites;
    private final Runnable progress;
    private volatile CommitLog commitLog;

    private final Object manifestLock = new Object();
    private Manifest manifest;
    private final AtomicLong nextTableId;

    private final ExecutorService flushExecutor = Executors.newSingleThreadExecutor(daemon("ringkv-flush"));
    private final ExecutorService compactionExecutor = Executors.newSingleThreadExecutor(daemon("ringkv-compaction"));
    private volatile boolean closing;
    private volatile Throwable lastCompactionFailure;

    final LongAdder flushBytesWritten = new LongAdder();
    final LongAdder compactionBytesWritten = new LongAdder();

    BackgroundWork(StorageOptions options, EngineHooks hooks, EngineListener listener, ViewHolder views,
            BlockCache cache, ReadStats readStats, Manifest manifest, Consumer<Throwable> failWrites, Runnable progress) {
        this.options = options;
        this.dir = options.dataDirectory();
        this.hooks = hooks;
        this.listener = listener;
        this.views = views;
        this.cache = cache;
        this.readStats = readStats;
        this.manifest = manifest;
        this.nextTableId = new AtomicLong(manifest.nextTableId());
        this.failWrites = failWrites;
        this.progress = progress;
        int pressure = Math.max(options.compactionMinThreshold(), options.maxTablesBeforeStall() / 2);
        this.picker = new CompactionPicker(options.compactionMinThreshold(), options.compactionMaxThreshold(),
                pressure, options.memtableFlushThresholdBytes() / 2);
        this.compactor = new Compactor(new PurgeRule(options.mergeOperator(), options.purgePolicy(),
                options.tombstoneGracePeriodMillis()));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    void start(CommitLog log) {
        this.commitLog = log;
    }

    Throwable lastCompactionFailure() {
        return lastCompactionFailure;
    }

    // ---- flush ----

    /** Queues a flush of the oldest waiting memtable. */
    void scheduleFlush() {
        flushExecutor.execute(this::flushOldest);
    }

    /** Completes once every flush queued before it has run. */
    Future<?> flushBarrier() {
        return flushExecutor.submit(() -> { });
    }

    private void flushOldest() {
        if (closing) {
            return;
        }
        View v = views.current();
        if (v.immutables().isEmpty()) {
            return;
        }
        Memtable m = v.immutables().get(0);
        try {
            hooks.beforeFlush().run();
            long start = System.nanoTime();
            long id = nextTableId.getAndIncrement();
            Path path = DataFiles.tablePath(dir, id);
            SSTableMetadata meta;
            try (SSTableWriter w = SSTableWriter.create(path, SSTableWriterOptions.from(options, Math.max(1, m.entryCount())))) {
                for (Iterator<InternalEntry> it = m.iterator(); it.hasNext(); ) {
                    w.append(it.next());
                }
                meta = w.finish();
            }
            TableHandle table = new TableHandle(SSTableReader.open(path, id, cache, readStats));
            // Reads move from the memtable to this table when it is installed: hand them its blocks
            // already cached, at most half the cache so one flush cannot evict everything else.
            table.reader.preloadBlocks(cache.capacityBytes() / 2);
            long replayStart;
            synchronized (manifestLock) {
                View cur = views.current();
                Memtable next = cur.immutables().size() > 1 ? cur.immutables().get(1) : cur.active();
                replayStart = next.startSegmentId();
                List<TableHandle> tables = new ArrayList<>(cur.tables().oldestFirst);
                tables.add(table);
                Manifest updated = new Manifest(nextTableId.get(), replayStart, m.maxSeq(), ids(tables));
                ManifestFile.write(dir, updated);
                manifest = updated;
                views.installFlushed(m, new TableSet(tables));
            }
            commitLog.deleteSegmentsBefore(replayStart);
            flushBytesWritten.add(meta.fileSizeBytes());
            listener.onFlush(m.entryCount(), meta.fileSizeBytes(), System.nanoTime() - start);
        } catch (Throwable t) {
            LOG.error("flush failed; the engine stops accepting writes (the data is safe in the commit log)", t);
            reportCorruption(t);
            failWrites.accept(t);
            return;
        } finally {
            progress.run();
        }
        scheduleCompaction();
    }

    // ---- compaction ----

    void scheduleCompaction() {
        if (!closing) {
            compactionExecutor.execute(this::compactWhileNeeded);
        }
    }

    private void compactWhileNeeded() {
        for (int round = 0; round < MAX_COMPACTIONS_PER_TRIGGER && !closing; round++) {
            View v = views.acquire();
            try {
                Optional<CompactionChoice> choice = picker.pick(infos(v.tables()));
                if (choice.isEmpty()) {
                    return;
                }
                run(v.tables(), choice.get());
                lastCompactionFailure = null;
            } catch (CancellationException e) {
                return;
            } catch (Throwable t) {
                lastCompactionFailure = t;
                LOG.error("background compaction failed; will retry after the next flush", t);
                reportCorruption(t);
                return;
            } finally {
                v.tables().release();
                progress.run();
            }
        }
    }

    /** Compacts every live table into one, on the compaction thread, and returns when done. */
    Future<?> compactAll() {
        return compactionExecutor.submit(() -> {
            View v = views.acquire();
            try {
                Optional<CompactionChoice> choice = CompactionPicker.all(infos(v.tables()));
                if (choice.isPresent()) {
                    run(v.tables(), choice.get());
                }
            } catch (RuntimeException e) {
                reportCorruption(e);
                throw e;
            } finally {
                v.tables().release();
                progress.run();
            }
            return null;
        });
    }

    private void run(TableSet pinned, CompactionChoice choice) {
        long start = System.nanoTime();
        List<TableHandle> inputs = pinned.oldestFirst.subList(choice.firstIndex(),
                choice.firstIndex() + choice.tableIds().size());
        List<SSTableReader> newestFirst = new ArrayList<>(inputs.size());
        for (int i = inputs.size() - 1; i >= 0; i--) {
            newestFirst.add(inputs.get(i).reader);
        }
        long id = nextTableId.getAndIncrement();
        Path path = DataFiles.tablePath(dir, id);
        Compactor.Result result = compactor.compact(newestFirst, choice.includesOldest(), options.clock().millis(),
                path, SSTableWriterOptions.from(options, 1), () -> closing);
        TableHandle output = result.output() == null ? null
                : new TableHandle(SSTableReader.open(path, id, cache, readStats));
        synchronized (manifestLock) {
            View cur = views.current();
            List<TableHandle> tables = new ArrayList<>(cur.tables().oldestFirst);
            int at = indexOf(tables, choice.tableIds().get(0));
            for (int i = 0; i < choice.tableIds().size(); i++) {
                if (at < 0 || at + i >= tables.size() || tables.get(at + i).id() != choice.tableIds().get(i)) {
                    throw new IllegalStateException("compaction inputs " + choice.tableIds() + " are no longer adjacent");
                }
            }
            List<TableHandle> removed = new ArrayList<>(tables.subList(at, at + choice.tableIds().size()));
            tables.subList(at, at + choice.tableIds().size()).clear();
            if (output != null) {
                tables.add(at, output);
            }
            Manifest updated = manifest.withTables(ids(tables), nextTableId.get());
            ManifestFile.write(dir, updated);
            manifest = updated;
            for (TableHandle t : removed) {
                t.markObsolete();
            }
            views.installTables(new TableSet(tables));
        }
        compactionBytesWritten.add(result.outputBytes());
        LOG.debug("compacted {} ({}): {} -> {} bytes", choice.tableIds(), choice.reason(), result.inputBytes(),
                result.outputBytes());
        listener.onCompaction(choice.tableIds().size(), result.inputBytes(), result.outputBytes(),
                System.nanoTime() - start);
    }

    private void reportCorruption(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CorruptionException ce) {
                listener.onCorruption(ce.file(), ce.offset(), ce.getMessage());
                return;
            }
        }
    }

    private static int indexOf(List<TableHandle> tables, long id) {
        for (int i = 0; i < tables.size(); i++) {
            if (tables.get(i).id() == id) {
                return i;
            }
        }
        return -1;
    }

    private static List<TableInfo> infos(TableSet set) {
        List<TableInfo> out = new ArrayList<>(set.size());
        for (TableHandle t : set.oldestFirst) {
            out.add(new TableInfo(t.id(), t.sizeBytes()));
        }
        return out;
    }

    private static List<Long> ids(List<TableHandle> tables) {
        List<Long> out = new ArrayList<>(tables.size());
        for (TableHandle t : tables) {
            out.add(t.id());
        }
        return out;
    }

    /** Stops background work: running jobs finish or are cancelled, queued ones are skipped. */
    void close() {
        closing = true;
        flushExecutor.shutdown();
        compactionExecutor.shutdown();
        try {
            if (!flushExecutor.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("flush still running at close; abandoning it (the commit log holds its data)");
            }
            if (!compactionExecutor.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("compaction still running at close; abandoning it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
