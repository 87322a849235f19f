package io.ringkv.cluster.antientropy;

import io.ringkv.cluster.coordinator.ClusterView;
import io.ringkv.core.ring.PreferenceList;
import io.ringkv.core.ring.ReplicationStrategy;
import io.ringkv.core.ring.Ring;
import io.ringkv.core.ring.Token;
import io.ringkv.core.ring.TokenRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The trees of every range this node replicates in the current ring. The set follows the ring
 * lazily: whenever the view's ring is not the one the set was made for, it is remade, keeping the
 * tree of every range whose bounds did not change and starting new ranges' trees with every leaf
 * dirty (built on their first refresh). Until the node knows the cluster's ring (after a restart,
 * before it heard a peer) it keeps no trees: its ring of one would claim every range.
 *
 * <p>{@link #keyWritten} is the store's write hook: a binary search of the ring and a bit set.
 */
final class RangeTrees {
    /** The trees for one ring, indexed by vnode, plus the ranges in token order. */
    record Snapshot(Ring ring, List<ReplicatedRange> ranges, RangeTree[] byVnode, Map<TokenRange, RangeTree> trees,
                    Map<TokenRange, ReplicatedRange> replicated) {
        static final Snapshot NONE = new Snapshot(null, List.of(), new RangeTree[0], Map.of(), Map.of());

        Optional<RangeTree> tree(TokenRange range) {
            return Optional.ofNullable(trees.get(range));
        }

        /** The range with exactly these bounds, if this node replicates it. */
        Optional<ReplicatedRange> replicated(TokenRange range) {
            return Optional.ofNullable(replicated.get(range));
        }

        /** The replicated range holding {@code token}, or null when this node does not replicate it. */
        ReplicatedRange replicatedAt(Token token) {
            if (byVnode.length == 0) {
                return null;
            }
            RangeTree tree = byVnode[ring.vnodeIndexFor(token)];
            return tree == null ? null : replicated.get(tree.range());
        }
    }

    private final ClusterView view;
    private final ReplicationStrategy strategy;
    private final int depth;
    private volatile Snapshot snapshot = Snapshot.NONE;

    RangeTrees(ClusterView view, ReplicationStrategy strategy, int depth) {
        this.view = view;
        this.strategy = strategy;
        this.depth = depth;
    }

    /** The trees for the view's current ring. */
    Snapshot current() {
        Snapshot s = snapshot;
        if (!view.knowsRing()) {
            return Snapshot.NONE;
        }
        Ring ring = view.ring();
        if (s.ring() == ring) {
            return s;
        }
        synchronized (this) {
            s = snapshot;
            if (s.ring() != ring) {
                s = remake(s, ring);
                snapshot = s;
            }
            return s;
        }
    }

    void keyWritten(byte[] key) {
        Snapshot s = current();
        if (s.byVnode().length == 0) {
            return;
        }
        Token token = Token.of(key);
        RangeTree tree = s.byVnode()[s.ring().vnodeIndexFor(token)];
        if (tree != null) {
            tree.keyWritten(token);
        }
    }

    private Snapshot remake(Snapshot old, Ring ring) {
        String self = view.localNodeId();
        int vnodes = ring.tokenCount();
        RangeTree[] byVnode = new RangeTree[vnodes];
        Map<TokenRange, RangeTree> trees = new HashMap<>();
        List<ReplicatedRange> ranges = new ArrayList<>();
        Map<TokenRange, ReplicatedRange> replicated = new HashMap<>();
        for (int i = 0; i < vnodes; i++) {
            PreferenceList pl = ring.preferenceList(ring.token(i), strategy);
            List<String> replicas = pl.replicas();
            if (!replicas.contains(self)) {
                continue;
            }
            TokenRange range = ring.rangeAt(i);
            RangeTree tree = old.trees().get(range);
            if (tree == null) {
                tree = new RangeTree(range, depth);
            }
            byVnode[i] = tree;
            trees.put(range, tree);
            ReplicatedRange r = new ReplicatedRange(range, replicas);
            ranges.add(r);
            replicated.put(range, r);
        }
        return new Snapshot(ring, List.copyOf(ranges), byVnode, Map.copyOf(trees), Map.copyOf(replicated));
    }
}
