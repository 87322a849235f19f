package io.ringkv.storage;

import java.util.concurrent.CompletableFuture;

/**
 * A write that is already visible to reads but may not yet be as durable as the
 * {@link SyncPolicy} promises; see {@link StorageEngine#mergeVisible(byte[], byte[])}.
 */
public interface PendingDurability {
    /** A write with nothing left to wait for (or nothing written). */
    PendingDurability DONE = new PendingDurability() {
        @Override
        public boolean isDurable() {
            return true;
        }

        @Override
        public void awaitDurable() {
        }

        @Override
        public CompletableFuture<Void> whenDurable() {
            return CompletableFuture.completedFuture(null);
        }
    };
    /**
     * Whether the write is already as durable as the sync policy promises, so that
     * {@link #awaitDurable()} would return at once: always under {@code periodic}, once its
     * fsync is done under {@code batch} and {@code always}. Never blocks.
     */
    boolean isDurable();

    /**
     * Returns once the write is as durable as the sync policy promises, sharing the fsync with
     * concurrent writers.
     *
     * @throws StorageException if the fsync failed or the wait was interrupted: the write may be
     *                          lost in a crash and must not be acknowledged
     */
    void awaitDurable();

    /**
     * {@link #awaitDurable()} without a thread waiting: completes once the write is as durable as
     * the sync policy promises, or fails with the {@link StorageException} that would have been
     * thrown. Unless already complete, it completes on the commit log's sync thread, which runs
     * whatever is chained on it: chained work must be short and must never block.
     */
    CompletableFuture<Void> whenDurable();
}
