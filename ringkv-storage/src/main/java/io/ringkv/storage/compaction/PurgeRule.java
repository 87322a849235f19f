package io.ringkv.storage.compaction;

import io.ringkv.storage.MergeOperator;
import io.ringkv.storage.PurgePolicy;
import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import io.ringkv.storage.memtable.MergeRules;
import java.util.List;

/**
 * What a compaction keeps of one key. Pure, so it is tested on its own.
 *
 * <p>A tombstone (an engine DELETE, or a PUT whose value the {@link PurgePolicy} calls
 * purgeable) is dropped only if BOTH hold: it is older than the grace period (so replicas that
 * missed the delete have had time to learn it through repair), and the compaction includes the
 * oldest live table (so no older value of the key survives elsewhere to resurface once the
 * tombstone is gone). The same "includes the oldest" condition turns a MERGE with no base into
 * the PUT it stands for, because nothing older can ever be found under it.
 */
public final class PurgeRule {
    private final MergeOperator mergeOperator;
    private final PurgePolicy purgePolicy;
    private final long tombstoneGracePeriodMillis;

    public PurgeRule(MergeOperator mergeOperator, PurgePolicy purgePolicy, long tombstoneGracePeriodMillis) {
        this.mergeOperator = mergeOperator;
        this.purgePolicy = purgePolicy;
        this.tombstoneGracePeriodMillis = tombstoneGracePeriodMillis;
    }

    /** The record to write for a key whose records are given newest first, or null to drop it. */
    public InternalEntry survivor(List<InternalEntry> newestFirst, boolean includesOldest, long nowMillis) {
        InternalEntry resolved = MergeRules.resolveNewestFirst(newestFirst, mergeOperator);
        if (!includesOldest) {
            return resolved;
        }
        resolved = MergeRules.baseless(resolved, mergeOperator);
        boolean pastGrace = nowMillis - resolved.timestampMillis() >= tombstoneGracePeriodMillis;
        if (!pastGrace) {
            return resolved;
        }
        if (resolved.kind() == EntryKind.DELETE) {
            return null;
        }
        if (resolved.kind() == EntryKind.PUT && purgePolicy.isPurgeable(resolved.key(), resolved.value(), nowMillis)) {
            return null;
        }
        return resolved;
    }
}
