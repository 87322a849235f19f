package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.core.ring.Ring;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A ClusterView with a fixed ring and addresses; a test marks nodes down by hand. */
final class FixedView implements ClusterView {
    private final String localNodeId;
    private final Ring ring;
    private final Map<String, PeerAddress> addresses;
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private volatile boolean knowsRing = true;

    FixedView(String localNodeId, Ring ring, Map<String, PeerAddress> addresses) {
        this.localNodeId = localNodeId;
        this.ring = ring;
        this.addresses = Map.copyOf(addresses);
    }

    /** As a node restarted with its tokens that has not heard a peer yet. */
    void forgetRing(boolean forget) {
        knowsRing = !forget;
    }

    @Override
    public boolean knowsRing() {
        return knowsRing;
    }

    void markDown(String nodeId) {
        down.add(nodeId);
    }

    void markUp(String nodeId) {
        down.remove(nodeId);
    }

    @Override
    public String localNodeId() {
        return localNodeId;
    }

    @Override
    public Ring ring() {
        return ring;
    }

    @Override
    public boolean isUp(String nodeId) {
        return ring.contains(nodeId) && !down.contains(nodeId);
    }

    @Override
    public Optional<PeerAddress> peerAddress(String nodeId) {
        return Optional.ofNullable(addresses.get(nodeId));
    }
}
