package io.ringkv.cluster.membership;

import java.util.ArrayList;
import java.util.List;

/**
 * Updates for one Ack or Ack2, kept under a byte budget. The sender's own state goes first
 * (a joining node must introduce itself), then heartbeat deltas (small, and they carry
 * liveness), then full states; what does not fit follows in later rounds, since the digests
 * will still differ. The first update always goes, so no state is too big to ever travel.
 */
final class UpdateBatch {
    private final int budgetBytes;
    private final List<NodeUpdate> own = new ArrayList<>(1);
    private final List<NodeUpdate> deltas = new ArrayList<>();
    private final List<NodeUpdate> fulls = new ArrayList<>();

    UpdateBatch(int budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** Adds {@code state} for a peer whose copy is summarized by {@code theirs} (null: none). */
    void add(NodeState state, Digest theirs) {
        if (isDeltaEnough(state, theirs)) {
            deltas.add(NodeUpdate.HeartbeatDelta.of(state));
        } else {
            fulls.add(new NodeUpdate.Full(state));
        }
    }

    void addOwn(NodeState state, Digest theirs) {
        own.add(isDeltaEnough(state, theirs) ? NodeUpdate.HeartbeatDelta.of(state) : new NodeUpdate.Full(state));
    }

    private static boolean isDeltaEnough(NodeState state, Digest theirs) {
        return theirs != null && theirs.generation() == state.generation()
                && theirs.metadataVersion() == state.metadataVersion();
    }

    List<NodeUpdate> build() {
        List<NodeUpdate> out = new ArrayList<>(own.size() + deltas.size() + fulls.size());
        long used = 0;
        for (List<NodeUpdate> group : List.of(own, deltas, fulls)) {
            for (NodeUpdate u : group) {
                int size = switch (u) {
                    case NodeUpdate.Full f -> f.state().estimatedBytes();
                    case NodeUpdate.HeartbeatDelta d -> d.estimatedBytes();
                };
                if (!out.isEmpty() && used + size > budgetBytes) {
                    return out;
                }
                out.add(u);
                used += size;
            }
        }
        return out;
    }
}
