package io.ringkv.bench.antientropy;

import io.ringkv.cluster.coordinator.ClusterView;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.core.ring.Ring;
import java.util.Map;
import java.util.Optional;

/** A fixed ring with every node up. */
record BenchView(String localNodeId, Ring ring, Map<String, PeerAddress> addresses) implements ClusterView {
    @Override
    public boolean isUp(String nodeId) {
        return ring.contains(nodeId);
    }

    @Override
    public Optional<PeerAddress> peerAddress(String nodeId) {
        return Optional.ofNullable(addresses.get(nodeId));
    }
}
