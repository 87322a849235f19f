package io.ringkv.cluster.antientropy;

import io.ringkv.core.ring.TokenRange;
import java.util.List;

/**
 * One token range (a vnode's) that this node replicates, with its replicas in preference-list
 * order. Two rings giving the same range different replicas give different values: a repair
 * horizon earned with one replica set says nothing about another.
 */
record ReplicatedRange(TokenRange range, List<String> replicas) {
    ReplicatedRange {
        replicas = List.copyOf(replicas);
    }

    /** The replicas other than {@code self}. */
    List<String> peers(String self) {
        return replicas.stream().filter(r -> !r.equals(self)).toList();
    }
}
