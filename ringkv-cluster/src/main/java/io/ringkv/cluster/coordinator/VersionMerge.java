package io.ringkv.cluster.coordinator;

import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.core.version.Siblings;
import java.util.Collection;

/**
 * Reconciles the sibling sets several replicas returned, the way each replica's store merges
 * (see {@code SiblingsMergeOperator}): the join of the sets under the siblings policy, the single
 * newest version under last write wins. Both are joins, so the order answers arrive in does not
 * matter and repairing a replica with the result is idempotent.
 */
final class VersionMerge {
    private VersionMerge() {
    }

    static Siblings of(Collection<Siblings> answers, ConflictPolicy policy) {
        Siblings merged = Siblings.EMPTY;
        for (Siblings answer : answers) {
            merged = policy == ConflictPolicy.LWW ? merged.lwwMerge(answer) : merged.merge(answer);
        }
        return merged;
    }
}
