package io.ringkv.cluster.replica;

/**
 * Since when every replica of a key's range is known to hold every version that any of them
 * held: anti-entropy's answer to "may this tombstone go?" (docs/design/anti-entropy.md, "When a
 * tombstone may be purged"). A tombstone written before that instant has reached every replica,
 * so dropping it cannot bring the deleted value back. Must be cheap and thread-safe: compaction
 * asks it once per purge candidate.
 */
@FunctionalInterface
public interface RepairHorizon {
    /** Nothing is known to be in sync: no tombstone is ever purged. */
    RepairHorizon NEVER = key -> Long.MIN_VALUE;

    /**
     * Everything counts as in sync: tombstones go after the grace period alone. The behaviour of
     * a store opened without anti-entropy (tests, embedding, tools); a node never uses it.
     */
    RepairHorizon GRACE_ONLY = key -> Long.MAX_VALUE;

    /**
     * Wall-clock milliseconds: every version of {@code key}'s range that any replica held at that
     * instant is now held by every replica. {@link Long#MIN_VALUE} when nothing is known.
     */
    long inSyncSinceMillis(byte[] key);
}
