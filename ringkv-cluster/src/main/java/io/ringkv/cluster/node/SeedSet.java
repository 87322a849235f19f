package io.ringkv.cluster.node;

import io.ringkv.cluster.membership.Member;
import io.ringkv.cluster.transport.PeerAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The configured seeds as the {@link JoinRule} sees them when the ring must be created: which
 * nodes are seeds, and how many make a majority. A node with no seeds is a cluster of one: it is
 * its own seed and its own majority.
 */
record SeedSet(Set<PeerAddress> addresses, PeerAddress self) {
    SeedSet {
        addresses = Set.copyOf(new LinkedHashSet<>(addresses));
        Objects.requireNonNull(self, "self");
    }

    static SeedSet of(List<PeerAddress> seeds, PeerAddress self) {
        return new SeedSet(new LinkedHashSet<>(seeds), self);
    }

    /** Whether this node may create the ring: it is one of the seeds, or there are none. */
    boolean selfIsSeed() {
        return addresses.isEmpty() || addresses.contains(self);
    }

    boolean isSeed(Member m) {
        return addresses.contains(m.peerAddress()) || (addresses.isEmpty() && m.peerAddress().equals(self));
    }

    /** Seeds that must hear each other before one of them creates the ring. */
    int majority() {
        return addresses.isEmpty() ? 1 : addresses.size() / 2 + 1;
    }

    int size() {
        return Math.max(1, addresses.size());
    }
}
