package io.ringkv.cluster.admin;

import io.ringkv.core.ring.TokenRange;
import java.util.List;
import java.util.Objects;

/**
 * One token range this node replicates, with the root of its Merkle tree as this node's store
 * holds it now (docs/design/anti-entropy.md, "The tree"). Two replicas of a range whose roots are
 * equal hold the same versions of every key in it; a convergence check compares these.
 *
 * @param range    the range {@code (from, to]}, a vnode's, in this node's ring
 * @param replicas its replicas in preference-list order, as node ids
 * @param root     the tree's root hash (0 for an empty range), after rehashing every dirty leaf
 */
public record RangeRoot(TokenRange range, List<String> replicas, long root) {
    public RangeRoot {
        Objects.requireNonNull(range, "range");
        replicas = List.copyOf(replicas);
    }
}
