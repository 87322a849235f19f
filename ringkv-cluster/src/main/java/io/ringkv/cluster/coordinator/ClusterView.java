package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.core.ring.Member;
import io.ringkv.core.ring.Ring;
import java.util.Optional;

/**
 * What the quorum coordinator needs to know about the cluster at the moment of a request: the
 * ring of token owners, who is believed alive, and where to reach each node. The node layer
 * implements it over gossip membership ({@code cluster.node}); tests implement it with a fixed
 * ring. Implementations are thread-safe and cheap to call on every request (they return an
 * immutable snapshot, rebuilt only when membership changes).
 */
public interface ClusterView {

    /** This node's id, as it appears in the ring and in vector clocks. */
    String localNodeId();

    /** The current ring: every node that owns tokens (alive or not). */
    Ring ring();

    /**
     * The ring once the joins and departures in progress are done (JOINING nodes in, LEAVING ones
     * out): a key's replicas in it that are not replicas in {@link #ring()} are its <i>pending</i>
     * replicas, which get its writes too while they receive its data (docs/design/membership.md).
     * The same object as {@link #ring()} when nothing is in progress.
     */
    default Ring futureRing() {
        return ring();
    }

    /**
     * This node's data center, as its ring member announces it (the current ring, else the one
     * after the changes in progress), or empty while the node is in neither.
     */
    default Optional<String> localDataCenter() {
        return ring().member(localNodeId()).or(() -> futureRing().member(localNodeId())).map(Member::dataCenter);
    }

    /** Whether the failure detector believes {@code nodeId} is up (false for unknown ids). */
    boolean isUp(String nodeId);

    /** The inter-node address of {@code nodeId}, if it is known. */
    Optional<PeerAddress> peerAddress(String nodeId);

    /**
     * Whether this node knows the cluster's ring. False only after a restart with saved tokens,
     * until the node has heard from a peer: until then its ring holds itself alone, and it would
     * take itself for the only replica of every key. The coordinator serves nothing meanwhile.
     */
    default boolean knowsRing() {
        return true;
    }
}
