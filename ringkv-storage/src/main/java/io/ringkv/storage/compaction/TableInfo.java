package io.ringkv.storage.compaction;

/** What the picker knows of one live table. */
public record TableInfo(long tableId, long sizeBytes) {
    public TableInfo {
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("table size must not be negative, was " + sizeBytes);
        }
    }
}
