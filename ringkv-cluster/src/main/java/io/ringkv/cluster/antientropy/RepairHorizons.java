package io.ringkv.cluster.antientropy;

import io.ringkv.cluster.replica.RepairHorizon;
import io.ringkv.core.ring.Token;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * When each range this node replicates was last known to be in sync on every replica, for the
 * tombstone purge rule (docs/design/anti-entropy.md, "When a tombstone may be purged").
 *
 * <p>One complete round of a range (this node exchanged it with every other replica, all
 * successfully) that starts at s leaves this node holding everything any replica held at s.
 * A second complete round, which necessarily starts after the first ended (rounds of a range
 * run one after another), pushes all of that to every other replica. So after two consecutive
 * complete rounds the horizon is the first one's start: a tombstone written before it has
 * reached every replica. The purge margin is subtracted for clock skew between the writer and
 * this node and for versions still on their way (hints) at s.
 *
 * <p>Held in memory only: after a restart nothing is purged until two rounds have completed
 * again, which errs on the side of keeping tombstones. Keyed by range and replica set, so a
 * ring change that gives a range other replicas starts it over.
 */
final class RepairHorizons implements RepairHorizon {
    private record State(long lastCompleteStartMillis, long horizonMillis) {
    }

    private final RangeTrees trees;
    private final long marginMillis;
    private final Map<ReplicatedRange, State> states = new HashMap<>();

    RepairHorizons(RangeTrees trees, long marginMillis) {
        this.trees = trees;
        this.marginMillis = marginMillis;
    }

    /** {@code range} was compared with every other replica in a round that started at {@code startedAtMillis}. */
    synchronized void roundCompleted(ReplicatedRange range, long startedAtMillis) {
        State previous = states.get(range);
        long horizon = previous == null ? Long.MIN_VALUE : previous.lastCompleteStartMillis();
        states.put(range, new State(startedAtMillis, horizon));
    }

    /** Forgets ranges this node no longer replicates as they were. */
    synchronized void retainOnly(Set<ReplicatedRange> current) {
        states.keySet().retainAll(current);
    }

    /** The horizon of {@code range} (margin not subtracted), or {@link Long#MIN_VALUE}. */
    synchronized long horizonMillis(ReplicatedRange range) {
        State s = states.get(range);
        return s == null ? Long.MIN_VALUE : s.horizonMillis();
    }

    @Override
    public long inSyncSinceMillis(byte[] key) {
        ReplicatedRange range = trees.current().replicatedAt(Token.of(key));
        if (range == null) {
            return Long.MIN_VALUE;
        }
        long horizon = horizonMillis(range);
        return horizon == Long.MIN_VALUE ? Long.MIN_VALUE : horizon - marginMillis;
    }
}
