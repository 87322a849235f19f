package io.ringkv.cluster.replica;

import io.ringkv.core.version.MalformedVersionException;
import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.SiblingsCodec;
import io.ringkv.storage.PurgePolicy;
import java.util.Objects;

/**
 * A key whose every version is a tombstone may be dropped by compaction once both hold: its
 * newest tombstone is older than the grace period, and it was written before the key's range
 * was last known to be in sync on every replica ({@link RepairHorizon}, set by anti-entropy).
 * Until then a tombstone has to stay, so that a replica that missed the delete is repaired by
 * it, not the other way round (the deleted value coming back). Unreadable values are never
 * purged. A purge is reported to the {@link KeyWriteListener} (the key's Merkle-tree leaf
 * changes).
 */
public final class SiblingsPurgePolicy implements PurgePolicy {
    private final long gracePeriodMillis;
    private volatile RepairHorizon horizon;
    private volatile KeyWriteListener purged = KeyWriteListener.NONE;

    /** Grace period only ({@link RepairHorizon#GRACE_ONLY}): for a store with no anti-entropy. */
    public SiblingsPurgePolicy(long gracePeriodMillis) {
        this(gracePeriodMillis, RepairHorizon.GRACE_ONLY);
    }

    public SiblingsPurgePolicy(long gracePeriodMillis, RepairHorizon horizon) {
        if (gracePeriodMillis < 0) {
            throw new IllegalArgumentException("grace period must not be negative, got " + gracePeriodMillis);
        }
        this.gracePeriodMillis = gracePeriodMillis;
        this.horizon = Objects.requireNonNull(horizon, "horizon");
    }

    /** Replaces the horizon (anti-entropy starts after the store opened). */
    void horizon(RepairHorizon newHorizon) {
        this.horizon = Objects.requireNonNull(newHorizon, "horizon");
    }

    void purgeListener(KeyWriteListener listener) {
        this.purged = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public boolean isPurgeable(byte[] key, byte[] value, long nowMillis) {
        Siblings siblings;
        try {
            siblings = SiblingsCodec.decode(value);
        } catch (MalformedVersionException e) {
            return false;
        }
        if (!siblings.isTombstoneOnly()) {
            return false;
        }
        long newest = siblings.newestTimestampMillis();
        boolean purgeable = newest < nowMillis - gracePeriodMillis && newest < horizon.inSyncSinceMillis(key);
        if (purgeable) {
            purged.onKeyWritten(key);
        }
        return purgeable;
    }
}
