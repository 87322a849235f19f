package io.ringkv.cluster.transport;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** One node's endpoint on an {@link InMemoryNetwork}; obtained from {@link InMemoryNetwork#endpoint}. */
final class InMemoryTransport implements Transport {

    private final InMemoryNetwork network;
    private final PeerAddress address;
    private final Map<Integer, RequestHandler> handlers = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<byte[]>> outstanding = ConcurrentHashMap.newKeySet();
    private volatile boolean started;
    private volatile boolean closed;

    InMemoryTransport(InMemoryNetwork network, PeerAddress address) {
        this.network = network;
        this.address = address;
    }

    @Override
    public PeerAddress localAddress() {
        return address;
    }

    @Override
    public void register(int messageType, RequestHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (handlers.putIfAbsent(messageType, handler) != null) {
            throw new IllegalStateException("a handler for message type " + messageType + " is already registered at " + address);
        }
    }

    @Override
    public CompletableFuture<byte[]> request(PeerAddress to, int messageType, byte[] payload, long timeoutMillis) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(payload, "payload");
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("timeoutMillis must be positive, was " + timeoutMillis);
        }
        if (closed) {
            return CompletableFuture.failedFuture(new TransportException("transport at " + address + " is closed"));
        }
        CompletableFuture<byte[]> caller = new CompletableFuture<>();
        outstanding.add(caller);
        caller.whenComplete((result, error) -> outstanding.remove(caller));
        long deadlineMillis = network.nowMillis() + timeoutMillis;
        network.scheduleTimeout(timeoutMillis, () -> caller.completeExceptionally(new TransportTimeoutException(
                "no response from " + to + " to message type " + messageType + " within " + timeoutMillis + " ms")));
        network.transmit(new InMemoryNetwork.Request(address, to, messageType, payload.clone(), deadlineMillis, caller));
        return caller;
    }

    @Override
    public void start() {
        if (closed) {
            throw new IllegalStateException("transport at " + address + " is closed; create a new endpoint to restart");
        }
        started = true;
    }

    /** Fails every outstanding request; in-flight messages to this node are refused from now on. */
    @Override
    public void close() {
        closed = true;
        for (CompletableFuture<byte[]> caller : List.copyOf(outstanding)) {
            caller.completeExceptionally(new TransportException("transport at " + address + " closed"));
        }
    }

    RequestHandler handler(int messageType) {
        return handlers.get(messageType);
    }

    boolean isOpen() {
        return started && !closed;
    }

    boolean isClosed() {
        return closed;
    }
}
