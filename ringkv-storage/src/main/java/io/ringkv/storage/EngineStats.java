package io.ringkv.storage;

/**
 * A snapshot of the engine's counters.
 *
 * @param userBytesWritten     key + value bytes accepted from callers since open
 * @param commitLogBytesWritten bytes appended to the commit log since open
 * @param flushBytesWritten    SSTable bytes written by flushes since open
 * @param compactionBytesWritten SSTable bytes written by compactions since open
 * @param liveTables           SSTables in the current manifest
 * @param liveTableBytes       their total size on disk
 * @param memtables            memtables held: the active one plus the immutable ones awaiting their flush
 * @param memtableBytes        approximate size of the active and flushing memtables
 * @param liveEntriesEstimate  entries across memtables and tables (an upper bound: overwrites count twice until compacted)
 * @param blockCacheHits       block reads served from the cache
 * @param blockCacheMisses     block reads that went to disk
 * @param blockCacheRejections blocks read from disk that the full cache did not keep (read less often than the block they would replace)
 * @param bloomNegatives       table lookups skipped because the bloom filter ruled the key out
 * @param writeStallNanos      total time writers spent slowed down
 */
public record EngineStats(
        long userBytesWritten,
        long commitLogBytesWritten,
        long flushBytesWritten,
        long compactionBytesWritten,
        int liveTables,
        long liveTableBytes,
        int memtables,
        long memtableBytes,
        long liveEntriesEstimate,
        long blockCacheHits,
        long blockCacheMisses,
        long blockCacheRejections,
        long bloomNegatives,
        long writeStallNanos) {

    /** Bytes written to disk per user byte written (commit log + flushes + compactions). */
    public double writeAmplification() {
        return userBytesWritten == 0 ? 0
                : (double) (commitLogBytesWritten + flushBytesWritten + compactionBytesWritten) / userBytesWritten;
    }
}
