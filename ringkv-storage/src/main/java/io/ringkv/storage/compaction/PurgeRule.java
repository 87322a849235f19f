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
 * <p>A tombstone is dropped only if BOTH hold: it is old enough, and the compaction includes the
 * oldest live table (so no older value of the key survives elsewhere to resurface once the
 * tombstone is gone). An engine DELETE is old enough past the grace period, counted from its
 * record's time (so replicas that missed the delete have had time to learn it through repair).
 * A PUT whose value the {@link PurgePolicy} calls purgeable is old enough when the policy says
 * so: the value carries its own time (for ringkv, the delete's timestamp at its coordinator),
 * while the record's time is only the last local write, which a repair pushing an old tombstone
 * back to a replica that had purged it would restart. The same "includes the oldest" condition turns a MERGE with no base into
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
        if (resolved.kind() == EntryKind.DELETE) {
            boolean pastGrace = nowMillis - resolved.timestampMillis() >= tombstoneGracePeriodMillis;
            return pastGrace ? null : resolved;
        }
        if (resolved.kind() == EntryKind.PUT && purgePolicy.isPurgeable(resolved.key(), resolved.value(), nowMillis)) {
            return null;
        }
        return resolved;
    }
}
