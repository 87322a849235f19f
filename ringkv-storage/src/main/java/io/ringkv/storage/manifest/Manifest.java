package io.ringkv.storage.manifest;

import java.util.List;

/**
 * The engine's durable state besides the data itself: which tables are live and in what age
 * order, where commit log replay starts, and the next table id. Immutable; every change writes
 * a whole new manifest (see {@link ManifestFile}).
 *
 * @param nextTableId           id for the next table written (ids are never reused)
 * @param logReplayStartSegment commit log segments below this hold only flushed records
 * @param flushedSeq            every record with a seq up to this is in a table; replay skips them
 * @param tableIds              live tables, OLDEST FIRST; tables hold disjoint seq ranges in this order
 */
public record Manifest(long nextTableId, long logReplayStartSegment, long flushedSeq, List<Long> tableIds) {
    public Manifest {
        tableIds = List.copyOf(tableIds);
        if (nextTableId < 1 || logReplayStartSegment < 1 || flushedSeq < 0) {
            throw new IllegalArgumentException("invalid manifest counters: nextTableId=" + nextTableId
                    + " logReplayStartSegment=" + logReplayStartSegment + " flushedSeq=" + flushedSeq);
        }
        for (long id : tableIds) {
            if (id >= nextTableId || id < 1) {
                throw new IllegalArgumentException("table id " + id + " is not below nextTableId " + nextTableId);
            }
        }
    }

    /** The state of a fresh, empty engine. */
    public static Manifest empty() {
        return new Manifest(1, 1, 0, List.of());
    }

    public Manifest withTables(List<Long> ids, long nextTableId) {
        return new Manifest(nextTableId, logReplayStartSegment, flushedSeq, ids);
    }

    public Manifest withReplayStart(long segment, long flushedSeq) {
        return new Manifest(nextTableId, segment, flushedSeq, tableIds);
    }
}
