package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.transport.NotDeliveredException;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import io.ringkv.cluster.transport.TransportTimeoutException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a coordinator message to a node by id, within a deadline. Every failure, including "no
 * address known" and "no time left", comes back as a failed future rather than a throw, so a
 * fan-out treats all of them alike: one replica that did not answer.
 */
final class Peers {
    private final ClusterView view;
    private final Transport transport;

    Peers(ClusterView view, Transport transport) {
        this.view = view;
        this.transport = transport;
    }

    CompletableFuture<byte[]> request(String nodeId, int messageType, byte[] payload, Deadline deadline) {
        Optional<PeerAddress> address = view.peerAddress(nodeId);
        if (address.isEmpty()) {
            return CompletableFuture.failedFuture(new NotDeliveredException("no address known for node " + nodeId, null));
        }
        long remainingMillis = deadline.remainingMillis();
        if (remainingMillis <= 0) {
            return CompletableFuture.failedFuture(new TransportTimeoutException("no time left to ask node " + nodeId));
        }
        try {
            return transport.request(address.get(), messageType, payload, remainingMillis);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
