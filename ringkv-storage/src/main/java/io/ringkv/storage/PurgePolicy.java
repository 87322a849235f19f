package io.ringkv.storage;

/**
 * Lets the node layer say that a stored value is itself a tombstone (for ringkv, a sibling set
 * whose every version is a delete) that may be dropped once old enough. The engine only drops
 * such a value in a compaction that includes the oldest data for the key, exactly as it does
 * with its own tombstones, so nothing older can resurface.
 */
@FunctionalInterface
public interface PurgePolicy {
    PurgePolicy NEVER = (key, value, nowMillis) -> false;

    boolean isPurgeable(byte[] key, byte[] value, long nowMillis);
}
