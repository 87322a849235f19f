package io.ringkv.cluster.transport;

import java.util.concurrent.CompletableFuture;

/**
 * How a node talks to its peers: request/response messages with deadlines. The cluster logic
 * sees only this interface; ringkv-transport implements it over Netty with a framed binary
 * protocol (docs/design/wire-protocol.md), and tests use an in-memory twin that can drop,
 * delay and partition messages deterministically.
 *
 * <p>Messages are opaque to the transport: a {@code messageType} number and payload bytes
 * produced by the cluster's own codecs. A request that gets no response before its deadline
 * completes exceptionally with {@link TransportTimeoutException}; an unreachable peer with
 * {@link PeerUnavailableException}.
 */
public interface Transport extends AutoCloseable {

    /** The address peers reach this node at. */
    PeerAddress localAddress();

    /**
     * Registers the handler for one message type. Handlers may complete their future on any
     * thread; they must not block the calling thread.
     */
    void register(int messageType, RequestHandler handler);

    /** Sends a request and completes with the response payload, or exceptionally on error or deadline. */
    CompletableFuture<byte[]> request(PeerAddress to, int messageType, byte[] payload, long timeoutMillis);

    /** Starts listening. */
    void start();

    @Override
    void close();

    /** Serves one message type. */
    @FunctionalInterface
    interface RequestHandler {
        CompletableFuture<byte[]> handle(PeerAddress from, byte[] payload);
    }
}
