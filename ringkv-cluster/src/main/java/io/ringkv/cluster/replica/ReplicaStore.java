package io.ringkv.cluster.replica;

import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.SiblingsCodec;
import io.ringkv.core.version.Versioned;
import io.ringkv.storage.MemoryRead;
import io.ringkv.storage.PendingDurability;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.StorageOptions;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One node's replica of its keys: each key maps to the encoded {@link Siblings} of its
 * versions. Writing a version is a blind merge (no read); the engine's
 * {@link SiblingsMergeOperator} reconciles it with what is stored.
 *
 * <p>Storage errors ({@link io.ringkv.storage.StorageException} and its subtypes, including
 * {@link UnreadableVersionsException}) propagate; callers map them to their own error types.
 */
public final class ReplicaStore implements AutoCloseable {
    private final StorageEngine engine;
    private final SiblingsMergeOperator mergeOperator;
    private final SiblingsPurgePolicy purgePolicy;
    private final List<KeyWriteListener> writeListeners = new CopyOnWriteArrayList<>();

    private ReplicaStore(StorageEngine engine, SiblingsMergeOperator mergeOperator, SiblingsPurgePolicy purgePolicy) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.mergeOperator = mergeOperator;
        this.purgePolicy = purgePolicy;
        if (purgePolicy != null) {
            purgePolicy.purgeListener(this::written);
        }
    }

    /**
     * Opens the engine described by {@code base} with the replica's merge operator and a purge
     * policy on the grace period alone ({@link RepairHorizon#GRACE_ONLY}): for stores without
     * anti-entropy (tests, tools).
     */
    public static ReplicaStore open(StorageOptions base, ReplicaConfig config) {
        return open(base, config, RepairHorizon.GRACE_ONLY);
    }

    /**
     * Opens the engine with the replica's merge operator and a purge policy that also waits for
     * {@code horizon} (a node opens with {@link RepairHorizon#NEVER} and hands anti-entropy's
     * horizon over with {@link #repairHorizon} once it runs).
     */
    public static ReplicaStore open(StorageOptions base, ReplicaConfig config, RepairHorizon horizon) {
        SiblingsMergeOperator operator = new SiblingsMergeOperator(config);
        SiblingsPurgePolicy purgePolicy = new SiblingsPurgePolicy(base.tombstoneGracePeriodMillis(), horizon);
        StorageOptions options = base.toBuilder()
                .mergeOperator(operator)
                .purgePolicy(purgePolicy)
                .build();
        return new ReplicaStore(StorageEngine.open(options), operator, purgePolicy);
    }

    /** Wraps an engine already opened with a {@link SiblingsMergeOperator} (tests, custom wiring). */
    public static ReplicaStore over(StorageEngine engine, SiblingsMergeOperator mergeOperator) {
        return new ReplicaStore(engine, mergeOperator, null);
    }

    /**
     * Calls {@code listener} with the key after every write (once reads see it) and before
     * compaction purges a key's tombstones. Listeners run on the writer's thread: cheap, never
     * blocking.
     */
    public void onKeyWritten(KeyWriteListener listener) {
        writeListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Tombstones are purged only when written before {@code horizon}'s instant for their key
     * (and after the grace period). Ignored by a store made with {@link #over}, whose purge
     * policy is the caller's.
     */
    public void repairHorizon(RepairHorizon horizon) {
        if (purgePolicy != null) {
            purgePolicy.horizon(horizon);
        }
    }

    private void written(byte[] key) {
        for (KeyWriteListener listener : writeListeners) {
            listener.onKeyWritten(key);
        }
    }

    private PendingDurability written(byte[] key, PendingDurability pending) {
        if (pending != null) {
            written(key);
        }
        return pending;
    }

    /** Adds one version of {@code key}. */
    public void apply(byte[] key, Versioned version) {
        engine.merge(key, SiblingsCodec.encode(Siblings.of(version)));
        written(key);
    }

    /**
     * Adds one version and returns once reads see it, before the sync policy's fsync: the
     * caller awaits the returned durability before it acknowledges the write (the coordinator's
     * per-key section, docs/design/coordinator.md).
     */
    public PendingDurability applyVisible(byte[] key, Versioned version) {
        return written(key, engine.mergeVisible(key, SiblingsCodec.encode(Siblings.of(version))));
    }

    /**
     * {@link #applyVisible} for an event loop: the version is readable on return, or null when the
     * engine would stall the write (nothing written; use {@link #applyVisible} on a thread that may wait).
     */
    public PendingDurability tryApplyVisible(byte[] key, Versioned version) {
        return written(key, engine.tryMergeVisible(key, SiblingsCodec.encode(Siblings.of(version))));
    }

    /**
     * {@link #applyAll} for an event loop: the versions are readable on return, or null when the
     * engine would stall the write (nothing written; use {@link #applyAll} on a thread that may wait).
     */
    public PendingDurability tryApplyAllVisible(byte[] key, Siblings siblings) {
        return siblings.isEmpty() ? PendingDurability.DONE : written(key, engine.tryMergeVisible(key, SiblingsCodec.encode(siblings)));
    }

    /**
     * {@link #applyAll}, readable on return and durable once the returned durability is: a caller
     * merging a batch (a streaming page, an anti-entropy push) awaits only the last one, which
     * covers every earlier write (the commit log is synced in order, across segment rolls), so
     * the batch shares one fsync instead of waiting for one per key.
     */
    public PendingDurability applyAllVisible(byte[] key, Siblings siblings) {
        return siblings.isEmpty() ? PendingDurability.DONE : written(key, engine.mergeVisible(key, SiblingsCodec.encode(siblings)));
    }

    /** Adds every version of {@code siblings} (replication, read repair, handoff). */
    public void applyAll(byte[] key, Siblings siblings) {
        if (!siblings.isEmpty()) {
            engine.merge(key, SiblingsCodec.encode(siblings));
            written(key);
        }
    }

    /** The key's versions; empty when nothing is stored. */
    public Siblings read(byte[] key) {
        byte[] stored = engine.get(key);
        return stored == null ? Siblings.EMPTY : SiblingsMergeOperator.decode(key, stored, "stored value");
    }

    /**
     * {@link #read} for an event loop: from memory only (memtables, block cache), or null when a
     * block would have to be read from the disk.
     */
    public Siblings readIfInMemory(byte[] key) {
        MemoryRead read = engine.getIfInMemory(key);
        if (!read.answered()) {
            return null;
        }
        return read.value() == null ? Siblings.EMPTY : SiblingsMergeOperator.decode(key, read.value(), "stored value");
    }

    public StorageEngine engine() {
        return engine;
    }

    /** Merges that dropped versions because of the sibling cap. */
    public long siblingCapExceededCount() {
        return mergeOperator.capExceededCount();
    }

    @Override
    public void close() {
        engine.close();
    }
}
