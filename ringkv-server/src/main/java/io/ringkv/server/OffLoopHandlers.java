package io.ringkv.server;

import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A view of a {@link Transport} whose registered handlers are called on {@code executor} rather
 * than on the thread the transport delivers on.
 *
 * <p>Why: the node's transport calls handlers directly on its event loop, because the
 * coordinator's handlers never block there: they answer from memory or hand blocking work to
 * their own virtual threads (a second hand-off through the transport's executor cost a virtual
 * thread per peer request, measured in docs/performance-notes.md). Gossip's handlers run in place and
 * may, rarely, write the identity file; through this view they keep running off the event loop,
 * as before.
 */
final class OffLoopHandlers implements Transport {
    private final Transport transport;
    private final Executor executor;

    OffLoopHandlers(Transport transport, Executor executor) {
        this.transport = transport;
        this.executor = executor;
    }

    @Override
    public PeerAddress localAddress() {
        return transport.localAddress();
    }

    @Override
    public void register(int messageType, RequestHandler handler) {
        transport.register(messageType, (from, payload) -> {
            try {
                return CompletableFuture.supplyAsync(() -> handler.handle(from, payload), executor)
                        .thenCompose(answer -> answer);
            } catch (RejectedExecutionException closing) {
                return CompletableFuture.failedFuture(new IllegalStateException("this node is shutting down", closing));
            }
        });
    }

    @Override
    public CompletableFuture<byte[]> request(PeerAddress to, int messageType, byte[] payload, long timeoutMillis) {
        return transport.request(to, messageType, payload, timeoutMillis);
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
