package io.ringkv.cluster.membership;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable snapshot of one node's membership list: every node it knows, with the liveness it
 * currently believes. A {@link MembershipHolder} swaps snapshots atomically; the ring and the
 * coordinator read whole snapshots, never a list being changed under them (riak_core: the ring
 * is a value, one module holds it, another spreads it).
 */
public final class MembershipView {
    /** Bound on the membership list, the gossip messages and every decoded count. */
    public static final int MAX_MEMBERS = 4096;

    private final NodeId self;
    private final SortedMap<NodeId, Member> members;

    public MembershipView(NodeId self, Map<NodeId, Member> members) {
        this.self = Objects.requireNonNull(self, "self");
        this.members = Collections.unmodifiableSortedMap(new TreeMap<>(members));
        if (!this.members.containsKey(self)) {
            throw new IllegalArgumentException("a view must contain its own node " + self);
        }
    }

    public NodeId self() {
        return self;
    }

    public Member selfMember() {
        return members.get(self);
    }

    public Optional<Member> member(NodeId id) {
        return Optional.ofNullable(members.get(id));
    }

    /** All known members, sorted by id, including DOWN and LEFT ones. */
    public Collection<Member> members() {
        return members.values();
    }

    public SortedMap<NodeId, Member> asMap() {
        return members;
    }

    public int size() {
        return members.size();
    }

    public Liveness liveness(NodeId id) {
        Member m = members.get(id);
        if (m == null) {
            throw new IllegalArgumentException("unknown node " + id);
        }
        return m.liveness();
    }

    /** Members believed UP, sorted by id. */
    public List<Member> upMembers() {
        return members.values().stream().filter(Member::isUp).toList();
    }

    /** Members whose tokens are in the ring (NORMAL or LEAVING), whatever their liveness. */
    public List<Member> tokenOwners() {
        return members.values().stream().filter(Member::ownsTokens).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MembershipView v && self.equals(v.self) && members.equals(v.members);
    }

    @Override
    public int hashCode() {
        return 31 * self.hashCode() + members.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("MembershipView[self=").append(self);
        for (Member m : members.values()) {
            sb.append(", ").append(m.id()).append('=').append(m.status()).append('/').append(m.liveness())
                    .append("@g").append(m.generation()).append("hb").append(m.state().heartbeat());
        }
        return sb.append(']').toString();
    }
}
