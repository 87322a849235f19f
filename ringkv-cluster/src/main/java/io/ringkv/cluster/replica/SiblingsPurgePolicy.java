package io.ringkv.cluster.replica;

import io.ringkv.core.version.MalformedVersionException;
import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.SiblingsCodec;
import io.ringkv.storage.PurgePolicy;

/**
 * A key whose every version is a tombstone, the newest older than the grace period, may be
 * dropped by compaction. The grace period must outlast hinted handoff and anti-entropy: until
 * then a tombstone has to stay so that a replica that missed the delete is repaired by it, not
 * the other way round (the deleted value coming back). Unreadable values are never purged.
 */
public final class SiblingsPurgePolicy implements PurgePolicy {
    private final long gracePeriodMillis;

    public SiblingsPurgePolicy(long gracePeriodMillis) {
        if (gracePeriodMillis < 0) {
            throw new IllegalArgumentException("grace period must not be negative, got " + gracePeriodMillis);
        }
        this.gracePeriodMillis = gracePeriodMillis;
    }

    @Override
    public boolean isPurgeable(byte[] key, byte[] value, long nowMillis) {
        Siblings siblings;
        try {
            siblings = SiblingsCodec.decode(value);
        } catch (MalformedVersionException e) {
            return false;
        }
        return siblings.isTombstoneOnly() && siblings.newestTimestampMillis() < nowMillis - gracePeriodMillis;
    }
}
