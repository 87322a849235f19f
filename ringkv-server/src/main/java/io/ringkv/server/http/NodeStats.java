package io.ringkv.server.http;

import java.util.Map;

/**
 * One node's live figures for {@code GET /api/v1/stats} (docs/http-api.md, "Dashboard"): plain
 * values, so the HTTP layer needs nothing of the engine or the metrics classes.
 *
 * @param node          the node's id
 * @param timeMillis    when they were taken (wall clock, ms since the epoch)
 * @param windowSeconds how many recent complete seconds the operation figures cover
 * @param operations    by op (get, put, delete): requests this node coordinated in the window
 * @param storage       the node's store now
 */
public record NodeStats(String node, long timeMillis, int windowSeconds, Map<String, Operation> operations, Storage storage) {
    public NodeStats {
        operations = Map.copyOf(operations);
    }

    /** Requests completed per second (all, and failed) and their latency percentiles, over the window. */
    public record Operation(double perSecond, double failedPerSecond, double p50Millis, double p99Millis) {
    }

    /**
     * @param sstables        SSTables in the current manifest
     * @param sstableBytes    their size on disk
     * @param memtables       memtables in memory: the active one and those awaiting their flush
     * @param memtableBytes   the active and flushing memtables
     * @param entriesEstimate entries in the store (an upper bound: overwritten keys count once per table)
     * @param diskBytes       every file under the node's data directory (tables, commit log, hints, ...)
     */
    public record Storage(int sstables, long sstableBytes, int memtables, long memtableBytes, long entriesEstimate, long diskBytes) {
    }
}
