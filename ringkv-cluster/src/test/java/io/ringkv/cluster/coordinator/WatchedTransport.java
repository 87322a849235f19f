package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import java.util.concurrent.CompletableFuture;

/** A transport that shows every request it sends to a listener first: to check what a coordinator sends. */
final class WatchedTransport implements Transport {
    /** Told of each outgoing request before it is sent. */
    interface Listener {
        void sending(PeerAddress to, int messageType, byte[] payload);
    }

    private final Transport inner;
    private final Listener listener;

    WatchedTransport(Transport inner, Listener listener) {
        this.inner = inner;
        this.listener = listener;
    }

    @Override
    public PeerAddress localAddress() {
        return inner.localAddress();
    }

    @Override
    public void register(int messageType, RequestHandler handler) {
        inner.register(messageType, handler);
    }

    @Override
    public CompletableFuture<byte[]> request(PeerAddress to, int messageType, byte[] payload, long timeoutMillis) {
        listener.sending(to, messageType, payload);
        return inner.request(to, messageType, payload, timeoutMillis);
    }

    @Override
    public void start() {
        inner.start();
    }

    @Override
    public void close() {
        inner.close();
    }
}
