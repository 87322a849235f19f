package io.ringkv.cluster.streaming;

import io.ringkv.core.ring.ReplicationStrategy;
import io.ringkv.core.ring.Ring;
import io.ringkv.core.ring.TokenRange;
import java.util.ArrayList;
import java.util.List;

/**
 * One range to move and between whom: for a join, the range this node will replicate and the
 * current replicas it can take it from (in preference order); for a decommission, a range this
 * node replicates and the one node that gains it. Plans are computed from the two rings of the
 * view (now and once the change is done), so every node computes the same ones.
 *
 * @param range the range (from, to]: a whole range of the finer of the two rings
 * @param peers the nodes on the other side, first choice first
 */
record RangeTransfer(TokenRange range, List<String> peers) {

    /** What {@code self}, joining, receives: every range of {@code future} it replicates, from the range's replicas now. */
    static List<RangeTransfer> forJoin(String self, Ring current, Ring future, ReplicationStrategy strategy) {
        List<RangeTransfer> plan = new ArrayList<>();
        for (int i = 0; i < future.tokenCount(); i++) {
            TokenRange range = future.rangeAt(i);
            if (!future.preferenceList(range.toInclusive(), strategy).replicas().contains(self)) {
                continue;
            }
            // The future ring has every current token plus ours: each of its ranges lies inside one current range.
            List<String> sources = new ArrayList<>(current.preferenceList(range.toInclusive(), strategy).replicas());
            sources.remove(self);
            if (!sources.isEmpty()) {
                plan.add(new RangeTransfer(range, sources));
            }
        }
        return plan;
    }

    /** What {@code self}, leaving, hands over: every range it replicates now, to each node that replicates it once it is gone. */
    static List<RangeTransfer> forDecommission(String self, Ring current, Ring future, ReplicationStrategy strategy) {
        List<RangeTransfer> plan = new ArrayList<>();
        for (int i = 0; i < current.tokenCount(); i++) {
            TokenRange range = current.rangeAt(i);
            List<String> now = current.preferenceList(range.toInclusive(), strategy).replicas();
            if (!now.contains(self)) {
                continue;
            }
            // The future ring lacks our tokens: each current range lies inside one of its ranges.
            for (String gaining : future.preferenceList(range.toInclusive(), strategy).replicas()) {
                if (!now.contains(gaining)) {
                    plan.add(new RangeTransfer(range, List.of(gaining)));
                }
            }
        }
        return plan;
    }
}
