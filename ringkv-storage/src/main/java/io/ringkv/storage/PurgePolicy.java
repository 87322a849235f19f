package io.ringkv.storage;

/**
 * Lets the node layer say that a stored value is itself a tombstone (for ringkv, a sibling set
 * whose every version is a delete) that may be dropped now. The policy decides when, from the
 * value's own timestamps: the engine's grace period applies only to its own DELETEs, because a
 * record's time is its last local write, not the delete's. The engine only drops such a value in
 * a compaction that includes the oldest data for the key, exactly as it does with its own
 * tombstones, so nothing older can resurface.
 */
@FunctionalInterface
public interface PurgePolicy {
    PurgePolicy NEVER = (key, value, nowMillis) -> false;

    boolean isPurgeable(byte[] key, byte[] value, long nowMillis);
}
