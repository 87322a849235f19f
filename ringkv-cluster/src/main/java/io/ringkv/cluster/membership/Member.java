package io.ringkv.cluster.membership;

import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.core.ring.Token;
import java.util.List;
import java.util.Objects;

/**
 * One node as seen from one view: its gossiped state plus what this node derived locally, its
 * liveness and when its heartbeat last advanced here.
 *
 * @param heartbeatAdvancedMillis the viewing node's monotonic time (its {@link io.ringkv.cluster.time.Scheduler}
 *                                clock) at which this member's (generation, heartbeat) last moved
 *                                forward there; for the viewing node itself, its last gossip round.
 *                                Only differences with the same clock mean anything: see
 *                                {@link Gossiper#heartbeatAgeMillis}
 */
public record Member(NodeState state, Liveness liveness, long heartbeatAdvancedMillis) {
    public Member {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(liveness, "liveness");
    }

    public NodeId id() {
        return state.id();
    }

    public long generation() {
        return state.generation();
    }

    public AnnouncedStatus status() {
        return state.info().status();
    }

    public List<Token> tokens() {
        return state.info().tokens();
    }

    public PeerAddress peerAddress() {
        return state.info().peerAddress();
    }

    public PeerAddress httpAddress() {
        return state.info().httpAddress();
    }

    public String dc() {
        return state.info().dc();
    }

    public String rack() {
        return state.info().rack();
    }

    public double weight() {
        return state.info().weight();
    }

    public boolean isUp() {
        return liveness == Liveness.UP;
    }

    /** NORMAL or LEAVING: its tokens are part of the ring. */
    public boolean ownsTokens() {
        return status() == AnnouncedStatus.NORMAL || status() == AnnouncedStatus.LEAVING;
    }
}
