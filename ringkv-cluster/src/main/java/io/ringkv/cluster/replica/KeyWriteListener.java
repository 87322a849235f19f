package io.ringkv.cluster.replica;

/**
 * Told that a key's stored versions may have changed: after every write to the
 * {@link ReplicaStore} (once the write is visible to reads), and when compaction is about to
 * purge the key's tombstones. Anti-entropy uses it to mark the key's Merkle-tree leaf dirty
 * (docs/design/anti-entropy.md), so it must be cheap and must not block: it runs on the
 * writer's thread, which may be an event loop.
 */
@FunctionalInterface
public interface KeyWriteListener {
    KeyWriteListener NONE = key -> { };

    void onKeyWritten(byte[] key);
}
