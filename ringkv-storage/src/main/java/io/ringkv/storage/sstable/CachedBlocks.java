package io.ringkv.storage.sstable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One reader's window into the {@link BlockCache}: a slot per data block holding the cached,
 * verified block or null. A hit is a single array read, with no hashing and no lock; the
 * cache fills and clears slots under its shard locks (slot {@code i} only under the lock of the
 * shard {@link BlockCache} assigns to ({@code tableId}, i)).
 */
final class CachedBlocks {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(DataBlock[].class);

    final long tableId;
    private final DataBlock[] slots;
    volatile boolean closed;

    CachedBlocks(long tableId, int blockCount) {
        this.tableId = tableId;
        this.slots = new DataBlock[blockCount];
    }

    int size() {
        return slots.length;
    }

    DataBlock get(int block) {
        return (DataBlock) SLOT.getAcquire(slots, block);
    }

    void set(int block, DataBlock value) {
        SLOT.setRelease(slots, block, value);
    }
}
