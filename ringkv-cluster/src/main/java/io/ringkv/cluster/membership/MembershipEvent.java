package io.ringkv.cluster.membership;

import io.ringkv.core.ring.Token;
import java.util.List;

/**
 * A change between two consecutive views, for subscribers (the ring rebuilds on
 * {@link TokensChanged}, the coordinator re-routes on {@link Down}/{@link Up}, hinted handoff
 * delivers on {@link Up}). Computed by diffing snapshots, so a subscriber can never see an event
 * that disagrees with the view it is handed.
 */
public sealed interface MembershipEvent {

    NodeId id();

    /** A node appeared in the view. */
    record Joined(Member member) implements MembershipEvent {
        public NodeId id() { return member.id(); }
    }

    /** A node's announced status changed (e.g. JOINING to NORMAL, NORMAL to LEAVING or LEFT). */
    record StatusChanged(Member member, AnnouncedStatus from) implements MembershipEvent {
        public NodeId id() { return member.id(); }
    }

    /** A node restarted: its generation rose, superseding its old state. */
    record Restarted(Member member, long previousGeneration) implements MembershipEvent {
        public NodeId id() { return member.id(); }
    }

    /** Liveness became UP (from SUSPECT or DOWN). */
    record Up(Member member) implements MembershipEvent {
        public NodeId id() { return member.id(); }
    }

    /** Liveness became SUSPECT: this node alone doubts it, nobody agrees yet. */
    record Suspected(Member member) implements MembershipEvent {
        public NodeId id() { return member.id(); }
    }

    /** Liveness became DOWN: two sources agree (or it announced LEFT). */
    record Down(Member member) implements MembershipEvent {
        public NodeId id() { return member.id(); }
    }

    record TokensChanged(Member member, List<Token> previousTokens) implements MembershipEvent {
        public NodeId id() { return member.id(); }
    }

    /**
     * Another process claims this node's id (most likely started on a copy of its data
     * directory); {@code conflict} says which of the two keeps it. Only about the viewing node.
     */
    record IdConflictFound(Member member, IdConflict conflict) implements MembershipEvent {
        public NodeId id() { return member.id(); }
    }

    /** A long-dead or long-gone entry was forgotten. */
    record Removed(Member lastKnown) implements MembershipEvent {
        public NodeId id() { return lastKnown.id(); }
    }
}
