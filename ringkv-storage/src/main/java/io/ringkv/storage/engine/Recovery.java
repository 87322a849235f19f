package io.ringkv.storage.engine;

import io.ringkv.storage.CorruptionException;
import io.ringkv.storage.EngineListener;
import io.ringkv.storage.MergeOperator;
import io.ringkv.storage.StorageIoException;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.format.InternalEntry;
import io.ringkv.storage.manifest.DataFiles;
import io.ringkv.storage.manifest.DirectoryLock;
import io.ringkv.storage.manifest.Manifest;
import io.ringkv.storage.manifest.ManifestFile;
import io.ringkv.storage.memtable.Memtable;
import io.ringkv.storage.sstable.BlockCache;
import io.ringkv.storage.sstable.ReadStats;
import io.ringkv.storage.sstable.SSTableReader;
import io.ringkv.storage.wal.CommitLog;
import io.ringkv.storage.wal.CommitLogReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a data directory back to the state of the last acknowledged write: lock it, read the
 * manifest, delete what it does not reference, open its tables, and replay the commit log from
 * the manifest's replay point into memtables (docs/design/lsm-engine.md, "Recovery").
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /** Everything the engine starts from. */
    record Recovered(DirectoryLock lock, EngineListener listener, Manifest manifest, BlockCache cache,
            ReadStats readStats, View view, long maxSeq, long newSegmentId) {
    }

    private Recovery() {
    }

    static Recovered recover(StorageOptions options) {
        Path dir = options.dataDirectory();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageIoException("cannot create data directory " + dir, e);
        }
        DirectoryLock lock = DirectoryLock.acquire(dir);
        List<TableHandle> tables = new ArrayList<>();
        try {
            EngineListener listener = new SafeListener(options.listener());
            Manifest manifest = ManifestFile.read(dir);
            if (manifest == null) {
                if (DataFiles.hasDataFiles(dir)) {
                    throw new CorruptionException(dir.resolve(ManifestFile.NAME), 0, "the manifest is missing but "
                            + dir + " holds tables or commit log segments; refusing to guess which are live");
                }
                manifest = Manifest.empty();
                ManifestFile.write(dir, manifest);
            }
            DataFiles.cleanOrphans(dir, manifest);

            BlockCache cache = new BlockCache(options.blockCacheBytes(), options.blockSizeBytes());
            ReadStats readStats = new ReadStats();
            long maxSeq = manifest.flushedSeq();
            for (long id : manifest.tableIds()) {
                Path path = DataFiles.tablePath(dir, id);
                SSTableReader reader;
                try {
                    reader = SSTableReader.open(path, id, cache, readStats);
                } catch (CorruptionException e) {
                    listener.onCorruption(e.file(), e.offset(), e.getMessage());
                    throw e;
                }
                tables.add(new TableHandle(reader));
                maxSeq = Math.max(maxSeq, reader.metadata().maxSeq());
            }

            List<Long> segments = CommitLog.segmentIds(dir);
            long firstSegment = segments.isEmpty() ? manifest.logReplayStartSegment() : segments.get(0);
            MemtableFiller filler = new MemtableFiller(options.mergeOperator(), options.memtableFlushThresholdBytes(),
                    firstSegment);
            CommitLogReplayer.Result replayed = new CommitLogReplayer(listener)
                    .replay(dir, segments, manifest.flushedSeq(), filler::accept);
            maxSeq = Math.max(maxSeq, replayed.maxSeq());
            long newSegmentId = segments.isEmpty() ? manifest.logReplayStartSegment() : segments.getLast() + 1;
            Memtable active = filler.active.isEmpty() ? new Memtable(options.mergeOperator(), newSegmentId, options.memtableFlushThresholdBytes()) : filler.active;
            if (replayed.records() > 0) {
                LOG.info("replayed {} commit log records from {} segments in {}; {} memtables to flush",
                        replayed.records(), segments.size(), dir, filler.full.size() + (active.isEmpty() ? 0 : 1));
            }
            View view = new View(active, filler.full, new TableSet(tables));
            return new Recovered(lock, listener, manifest, cache, readStats, view, maxSeq, newSegmentId);
        } catch (RuntimeException e) {
            for (TableHandle t : tables) {
                t.reader.close();
            }
            lock.close();
            throw e;
        }
    }

    /** Applies replayed records to memtables, starting a new one whenever one is full. */
    private static final class MemtableFiller {
        private final MergeOperator mergeOperator;
        private final long thresholdBytes;
        private final List<Memtable> full = new ArrayList<>();
        private Memtable active;

        MemtableFiller(MergeOperator mergeOperator, long thresholdBytes, long firstSegmentId) {
            this.mergeOperator = mergeOperator;
            this.thresholdBytes = thresholdBytes;
            this.active = new Memtable(mergeOperator, firstSegmentId, thresholdBytes);
        }

        void accept(long segmentId, InternalEntry[] entries) {
            if (active.isEmpty() && full.isEmpty()) {
                active = new Memtable(mergeOperator, segmentId, thresholdBytes);
            }
            for (InternalEntry e : entries) {
                active.apply(e);
            }
            if (active.sizeBytes() >= thresholdBytes) {
                full.add(active);
                active = new Memtable(mergeOperator, segmentId, thresholdBytes);
            }
        }
    }
}
