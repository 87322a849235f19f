package io.ringkv.storage;

/**
 * A write that is already visible to reads but may not yet be as durable as the
 * {@link SyncPolicy} promises; see {@link StorageEngine#mergeVisible(byte[], byte[])}.
 */
@FunctionalInterface
public interface PendingDurability {
    /** Nothing to wait for: the write is already as durable as it will be. */
    PendingDurability NONE = () -> {
    };

    /**
     * Returns once the write is as durable as the sync policy promises, sharing the fsync with
     * concurrent writers.
     *
     * @throws StorageException if the fsync failed or the wait was interrupted: the write may be
     *                          lost in a crash and must not be acknowledged
     */
    void awaitDurable();
}
