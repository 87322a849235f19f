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
    private final IdConflict idConflict; // null: none seen

    public MembershipView(NodeId self, Map<NodeId, Member> members) {
        this(self, members, Optional.empty());
    }

    /** @param idConflict another process claims this node's id (see {@link GossipProtocol#idConflict}) */
    public MembershipView(NodeId self, Map<NodeId, Member> members, Optional<IdConflict> idConflict) {
        this.self = Objects.requireNonNull(self, "self");
        this.members = Collections.unmodifiableSortedMap(new TreeMap<>(members));
        this.idConflict = idConflict.orElse(null);
        if (!this.members.containsKey(self)) {
            throw new IllegalArgumentException("a view must contain its own node " + self);
        }
        if (this.idConflict != null && !this.idConflict.id().equals(self)) {
            throw new IllegalArgumentException("a view of " + self + " cannot hold a conflict over " + this.idConflict.id());
        }
    }

    public NodeId self() {
        return self;
    }

    public Member selfMember() {
        return members.get(self);
    }

    /**
     * Another process claims this node's id, and which of the two keeps it; once found it stays
     * for the life of the process, so an operator who was not watching still sees it.
     */
    public Optional<IdConflict> idConflict() {
        return Optional.ofNullable(idConflict);
    }

    /** True if this process gave up its id to another process that started first (it serves nothing). */
    public boolean refused() {
        return idConflict != null && idConflict.selfRefused();
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
        return o instanceof MembershipView v && self.equals(v.self) && members.equals(v.members)
                && Objects.equals(idConflict, v.idConflict);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * self.hashCode() + members.hashCode()) + Objects.hashCode(idConflict);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("MembershipView[self=").append(self);
        for (Member m : members.values()) {
            sb.append(", ").append(m.id()).append('=').append(m.status()).append('/').append(m.liveness())
                    .append("@g").append(m.generation()).append("hb").append(m.state().heartbeat());
        }
        if (idConflict != null) {
            sb.append(", idConflict=").append(idConflict);
        }
        return sb.append(']').toString();
    }
}
