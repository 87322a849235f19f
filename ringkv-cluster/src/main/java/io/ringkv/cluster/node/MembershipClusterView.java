package io.ringkv.cluster.node;

import io.ringkv.cluster.coordinator.ClusterView;
import io.ringkv.cluster.membership.Member;
import io.ringkv.cluster.membership.MembershipEvent;
import io.ringkv.cluster.membership.MembershipHolder;
import io.ringkv.cluster.membership.MembershipListener;
import io.ringkv.cluster.membership.MembershipView;
import io.ringkv.cluster.membership.NodeId;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.core.ring.Ring;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The coordinator's {@link ClusterView} over gossip membership. The ring is an immutable value
 * rebuilt only when a token owner's tokens or labels change (riak_core: one module holds the
 * ring, another spreads it); liveness and addresses are read from the holder's current view,
 * so they are as fresh as gossip. Cheap on every request: a volatile read plus a map lookup.
 */
public final class MembershipClusterView implements ClusterView, MembershipListener {
    private record Snapshot(List<RingPlacement> placements, Ring ring, List<RingPlacement> futurePlacements,
                            Ring futureRing) {}

    private final MembershipHolder holder;
    private final AtomicLong ringBuilds = new AtomicLong();
    private volatile Snapshot snapshot = new Snapshot(List.of(), Ring.empty(), List.of(), Ring.empty());
    /** False from a restart with saved tokens until a peer has been heard of (see {@link #knowsRing}). */
    private volatile boolean knowsRing;

    /** Subscribes to {@code holder}; the ring is built from its current view at once. */
    public MembershipClusterView(MembershipHolder holder) {
        this(holder, false);
    }

    /**
     * As above; with {@code mustHearPeer} (a restart with saved tokens and peers to hear from),
     * {@link #knowsRing} stays false until gossip has brought another member.
     */
    public MembershipClusterView(MembershipHolder holder, boolean mustHearPeer) {
        this.holder = Objects.requireNonNull(holder, "holder");
        this.knowsRing = !mustHearPeer;
        holder.subscribe(this); // before the first refresh, so no change can slip in between
        refresh();
    }

    @Override
    public boolean knowsRing() {
        return knowsRing;
    }

    @Override
    public String localNodeId() {
        return holder.current().self().value();
    }

    @Override
    public Ring ring() {
        return snapshot.ring();
    }

    @Override
    public Ring futureRing() {
        return snapshot.futureRing();
    }

    @Override
    public boolean isUp(String nodeId) {
        return member(nodeId).map(Member::isUp).orElse(false);
    }

    @Override
    public Optional<PeerAddress> peerAddress(String nodeId) {
        return member(nodeId).map(Member::peerAddress);
    }

    /** The membership view this ring was derived from (or a newer one). */
    public MembershipView membership() {
        return holder.current();
    }

    /** How many times the ring has been built (a test hook: heartbeats must not rebuild it). */
    public long ringBuilds() {
        return ringBuilds.get();
    }

    private Optional<Member> member(String nodeId) {
        NodeId id;
        try {
            id = NodeId.of(nodeId);
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
        return holder.current().member(id);
    }

    @Override
    public void onChange(MembershipView previous, MembershipView current, List<MembershipEvent> events) {
        if (!knowsRing && current.size() > 1) {
            knowsRing = true; // a peer's state arrived: the ring is the cluster's now, not this node alone
        }
        // Liveness events do not touch the ring; every other kind may (tokens, status, labels on restart).
        boolean mayMoveTokens = events.stream().anyMatch(e -> !(e instanceof MembershipEvent.Up
                || e instanceof MembershipEvent.Suspected || e instanceof MembershipEvent.Down));
        if (mayMoveTokens) {
            refresh();
        }
    }

    /** Reads the holder's view under this lock, so an older view can never overwrite a newer ring. */
    private synchronized void refresh() {
        MembershipView current = holder.current();
        List<RingPlacement> placements = RingPlacement.ofOwners(current);
        List<RingPlacement> future = RingPlacement.ofFuture(current);
        Snapshot old = snapshot;
        if (!placements.equals(old.placements()) || !future.equals(old.futurePlacements())) {
            Ring ring = placements.equals(old.placements()) ? old.ring() : RingPlacement.ring(placements);
            // The same object when nothing is in progress: the coordinator then skips pending replicas at once.
            Ring futureRing = future.equals(placements) ? ring
                    : future.equals(old.futurePlacements()) ? old.futureRing() : RingPlacement.ring(future);
            snapshot = new Snapshot(placements, ring, future, futureRing);
            ringBuilds.incrementAndGet();
        }
    }
}
