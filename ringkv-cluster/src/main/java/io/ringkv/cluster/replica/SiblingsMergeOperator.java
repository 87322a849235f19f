package io.ringkv.cluster.replica;

import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.core.version.MalformedVersionException;
import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.SiblingsCodec;
import io.ringkv.storage.MergeOperator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Lets the storage engine add a version to a key with a blind write: the stored value and each
 * operand are encoded {@link Siblings} sets, and combining them is {@link Siblings#merge} (a
 * join, so associative and commutative as the engine requires) or, under last-write-wins,
 * {@link Siblings#lwwMerge}. This is how Dynamo §4.4's syntactic reconciliation happens at
 * every replica without a read-modify-write: the engine applies it when a write meets an
 * existing record, on reads and in compaction.
 *
 * <p>Under {@link ConflictPolicy#SIBLINGS} the result is capped at {@code siblingCap} versions
 * (the newest kept). A merge of capped sets equals the merge of the uncapped ones only while no
 * cap is hit: past the cap, which versions survive can depend on the order the engine combined
 * them in. Each cap hit is counted and reported to the listener.
 */
public final class SiblingsMergeOperator implements MergeOperator {
    private final ConflictPolicy policy;
    private final int siblingCap;
    private final SiblingCapListener listener;
    private final LongAdder capExceeded = new LongAdder();

    public SiblingsMergeOperator(ReplicaConfig config) {
        this.policy = config.conflictPolicy();
        this.siblingCap = config.siblingCap();
        this.listener = config.capListener();
    }

    @Override
    public byte[] apply(byte[] key, byte[] older, byte[] newer) {
        Siblings incoming = decode(key, newer, "operand");
        Siblings merged;
        if (older == null) {
            merged = policy == ConflictPolicy.LWW ? incoming.lwwMerge(Siblings.EMPTY) : incoming;
        } else {
            Siblings existing = decode(key, older, "stored value");
            merged = policy == ConflictPolicy.LWW ? existing.lwwMerge(incoming) : existing.merge(incoming);
        }
        if (policy == ConflictPolicy.SIBLINGS) {
            Siblings.Capped capped = merged.cap(siblingCap);
            if (capped.capExceeded()) {
                capExceeded.increment();
                listener.onSiblingCapExceeded(key, capped.droppedVersions(), siblingCap);
                merged = capped.siblings();
            }
        }
        // Nothing changed: hand the engine its own bytes back instead of re-encoding.
        return older == null && merged == incoming ? newer : SiblingsCodec.encode(merged);
    }

    /** How many merges dropped versions because of the sibling cap, since this operator was made. */
    public long capExceededCount() {
        return capExceeded.sum();
    }

    static Siblings decode(byte[] key, byte[] bytes, String what) {
        try {
            return SiblingsCodec.decode(bytes);
        } catch (MalformedVersionException e) {
            throw new UnreadableVersionsException("the " + what + " of a key of " + key.length
                    + " bytes is not a readable sibling set: " + e.getMessage(), e);
        }
    }
}
