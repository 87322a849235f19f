package io.ringkv.storage;

import java.nio.file.Path;
import java.util.Iterator;

/**
 * A durable, ordered key-value engine for one node: commit log, memtable, SSTables,
 * compaction. It knows nothing of replicas, clocks or nodes: the node layer stores whatever
 * bytes it likes per key (for ringkv, an encoded set of sibling versions) and may register a
 * {@link MergeOperator} so that adding a version is a blind write, with no read from disk.
 *
 * <p>Entries are ordered by ring token (MD5 of the key) and then by key, so
 * {@link #scan(byte[], byte[])} walks exactly one token range.
 *
 * <p>Every method is thread-safe. Write methods return once the write is as durable as the
 * configured {@link SyncPolicy} promises, except {@link #mergeVisible}, which hands that wait
 * to its caller.
 */
public interface StorageEngine extends AutoCloseable {

    /** Opens (creating if needed) the engine in {@code options.dataDirectory()}, replaying the commit log. */
    static StorageEngine open(StorageOptions options) {
        return io.ringkv.storage.engine.LsmEngine.open(options);
    }

    /** Convenience: default options in {@code dir}. */
    static StorageEngine open(Path dir) {
        return open(StorageOptions.builder(dir).build());
    }

    void put(byte[] key, byte[] value);

    /**
     * Adds {@code operand} to the key's value through the configured {@link MergeOperator},
     * without reading the current value. Fails if no merge operator is configured.
     */
    void merge(byte[] key, byte[] operand);

    /**
     * {@link #merge} in two halves: returns as soon as the operand is visible to reads, and the
     * caller waits for durability itself, before it acknowledges the write. It lets a caller
     * make "read, decide, write" atomic per key under a lock of its own without holding that
     * lock across the fsync wait.
     */
    PendingDurability mergeVisible(byte[] key, byte[] operand);

    /**
     * {@link #mergeVisible} for a thread that must not block (an event loop): returns null,
     * having written nothing, when the write would first have to wait - for a flush or
     * compaction to catch up (a write stall), for the engine's write lock held by another
     * thread, or for a commit log segment roll (an fsync). Otherwise it costs a memtable insert
     * and the commit log's {@code write(2)}.
     */
    PendingDurability tryMergeVisible(byte[] key, byte[] operand);

    void delete(byte[] key);

    /** Applies every operation of {@code batch} atomically: after a crash, all or none are there. */
    void write(WriteBatch batch);

    /** The current value of {@code key} (merges applied), or {@code null} if absent. */
    byte[] get(byte[] key);

    /**
     * {@link #get} for a thread that must not wait for the disk (an event loop): answered from
     * the memtables, bloom filters, indexes and the block cache only, or
     * {@link MemoryRead#NEEDS_DISK} when a block would have to be read from a file.
     */
    MemoryRead getIfInMemory(byte[] key);

    /**
     * Live entries whose token lies in (fromTokenExclusive, toTokenInclusive], in (token, key)
     * order; the range wraps when from >= to, and equal bounds mean the whole ring. Tokens are
     * 16 bytes. The iterator sees a consistent snapshot and must be closed.
     */
    RangeIterator scan(byte[] fromTokenExclusive, byte[] toTokenInclusive);

    /** Flushes the active memtable to an SSTable and waits for it. */
    void flush();

    /** Compacts every table into one (tombstones past their grace period are purged) and waits. */
    void compactAll();

    /** Counters and sizes, for metrics and benchmarks. */
    EngineStats stats();

    /** Flushes the commit log, stops background work and releases files. */
    @Override
    void close();

    /** A closeable iterator over a snapshot. */
    interface RangeIterator extends Iterator<KeyValue>, AutoCloseable {
        @Override
        void close();
    }
}
