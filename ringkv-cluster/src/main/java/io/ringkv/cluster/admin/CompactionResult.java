package io.ringkv.cluster.admin;

/**
 * What a manual compaction of a node's store did ({@link NodeAdmin#compact}).
 *
 * @param tablesBefore  live tables before (after the memtable was flushed)
 * @param tablesAfter   live tables after
 * @param elapsedMillis flush and compaction together
 */
public record CompactionResult(int tablesBefore, int tablesAfter, long elapsedMillis) {
}
