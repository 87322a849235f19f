package io.ringkv.storage.compaction;

import java.util.List;

/**
 * A compaction to run: a run of tables adjacent in age, given oldest first.
 *
 * @param tableIds       the inputs, oldest first, contiguous in the live list
 * @param firstIndex     index of the oldest input in the live list (oldest first)
 * @param includesOldest whether the inputs include the oldest live table, so that nothing
 *                       older than any input exists and tombstones may be purged
 * @param reason         why it was picked, for logs
 */
public record CompactionChoice(List<Long> tableIds, int firstIndex, boolean includesOldest, String reason) {
    public CompactionChoice {
        tableIds = List.copyOf(tableIds);
        if (tableIds.isEmpty()) {
            throw new IllegalArgumentException("a compaction needs at least one input");
        }
    }
}
