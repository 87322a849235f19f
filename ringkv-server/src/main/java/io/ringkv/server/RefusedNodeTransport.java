package io.ringkv.server;

import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import io.ringkv.cluster.transport.TransportException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The coordinator's view of the node's {@link Transport}, shut once this process refuses to serve
 * its node id (another process that started first with the same id holds it,
 * {@link io.ringkv.cluster.node.ClusterMembership#refused()}): peers' requests are answered with
 * an error and none are sent.
 *
 * <p>Why: until gossip has told everyone, peers may still send this process the replica writes
 * meant for the node whose id it shares. Acknowledging them would count a write as stored on that
 * node while only this (copied) directory has it. Refused, the write fails here and the
 * coordinator counts it as a replica that did not answer. The transport itself stays open: the
 * HTTP server may share its event loops, and the status endpoints must keep answering.
 */
final class RefusedNodeTransport implements Transport {
    private final Transport transport;
    private final BooleanSupplier refused;
    private final String nodeId;

    /** @param refused called for every message: cheap, never blocks */
    RefusedNodeTransport(Transport transport, BooleanSupplier refused, String nodeId) {
        this.transport = transport;
        this.refused = refused;
        this.nodeId = nodeId;
    }

    @Override
    public PeerAddress localAddress() {
        return transport.localAddress();
    }

    @Override
    public void register(int messageType, RequestHandler handler) {
        transport.register(messageType, (from, payload) -> refused.getAsBoolean()
                ? CompletableFuture.failedFuture(refusal())
                : handler.handle(from, payload));
    }

    @Override
    public CompletableFuture<byte[]> request(PeerAddress to, int messageType, byte[] payload, long timeoutMillis) {
        if (refused.getAsBoolean()) {
            return CompletableFuture.failedFuture(refusal());
        }
        return transport.request(to, messageType, payload, timeoutMillis);
    }

    private TransportException refusal() {
        return new TransportException("the process at " + transport.localAddress() + " refuses to serve node " + nodeId
                + ": another process that started first holds that node id (see its log and /health)");
    }

    /** Not for this view: the node starts and closes the transport itself. */
    @Override
    public void start() {
        throw new UnsupportedOperationException("start the underlying transport");
    }

    /** Not for this view: the node starts and closes the transport itself. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("close the underlying transport");
    }
}
