package io.ringkv.cluster.replica;

import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.SiblingsCodec;
import io.ringkv.core.version.Versioned;
import io.ringkv.storage.MemoryRead;
import io.ringkv.storage.PendingDurability;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.StorageOptions;
import java.util.Objects;

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

    private ReplicaStore(StorageEngine engine, SiblingsMergeOperator mergeOperator) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.mergeOperator = mergeOperator;
    }

    /** Opens the engine described by {@code base} with the replica's merge operator and purge policy. */
    public static ReplicaStore open(StorageOptions base, ReplicaConfig config) {
        SiblingsMergeOperator operator = new SiblingsMergeOperator(config);
        StorageOptions options = base.toBuilder()
                .mergeOperator(operator)
                .purgePolicy(new SiblingsPurgePolicy(base.tombstoneGracePeriodMillis()))
                .build();
        return new ReplicaStore(StorageEngine.open(options), operator);
    }

    /** Wraps an engine already opened with a {@link SiblingsMergeOperator} (tests, custom wiring). */
    public static ReplicaStore over(StorageEngine engine, SiblingsMergeOperator mergeOperator) {
        return new ReplicaStore(engine, mergeOperator);
    }

    /** Adds one version of {@code key}. */
    public void apply(byte[] key, Versioned version) {
        engine.merge(key, SiblingsCodec.encode(Siblings.of(version)));
    }

    /**
     * Adds one version and returns once reads see it, before the sync policy's fsync: the
     * caller awaits the returned durability before it acknowledges the write (the coordinator's
     * per-key section, docs/design/coordinator.md).
     */
    public PendingDurability applyVisible(byte[] key, Versioned version) {
        return engine.mergeVisible(key, SiblingsCodec.encode(Siblings.of(version)));
    }

    /**
     * {@link #applyVisible} for an event loop: the version is readable on return, or null when the
     * engine would stall the write (nothing written; use {@link #applyVisible} on a thread that may wait).
     */
    public PendingDurability tryApplyVisible(byte[] key, Versioned version) {
        return engine.tryMergeVisible(key, SiblingsCodec.encode(Siblings.of(version)));
    }

    /**
     * {@link #applyAll} for an event loop: the versions are readable on return, or null when the
     * engine would stall the write (nothing written; use {@link #applyAll} on a thread that may wait).
     */
    public PendingDurability tryApplyAllVisible(byte[] key, Siblings siblings) {
        return siblings.isEmpty() ? PendingDurability.DONE : engine.tryMergeVisible(key, SiblingsCodec.encode(siblings));
    }

    /** Adds every version of {@code siblings} (replication, read repair, handoff). */
    public void applyAll(byte[] key, Siblings siblings) {
        if (!siblings.isEmpty()) {
            engine.merge(key, SiblingsCodec.encode(siblings));
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
