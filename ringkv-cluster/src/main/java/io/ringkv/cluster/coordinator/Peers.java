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
    private final Responsiveness responsiveness;

    Peers(ClusterView view, Transport transport, Responsiveness responsiveness) {
        this.view = view;
        this.transport = transport;
        this.responsiveness = responsiveness;
    }

    /**
     * Whether a request to {@code nodeId} is worth sending first: gossip believes it up and its
     * last request here did not time out ({@link Responsiveness}).
     */
    boolean reachable(String nodeId) {
        return view.isUp(nodeId) && !responsiveness.isSilent(nodeId);
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
            responsiveness.sent(nodeId);
            return transport.request(address.get(), messageType, payload, remainingMillis)
                    .whenComplete((reply, failure) -> responsiveness.record(nodeId, failure));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
