package io.ringkv.bench.antientropy;

import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** A transport that counts the bytes of the requests it sends and their replies, per message type. */
final class CountingTransport implements Transport {
    private final Transport transport;
    private final Map<Integer, LongAdder> bytes = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> messages = new ConcurrentHashMap<>();

    CountingTransport(Transport transport) {
        this.transport = transport;
    }

    @Override
    public PeerAddress localAddress() {
        return transport.localAddress();
    }

    @Override
    public void register(int messageType, RequestHandler handler) {
        transport.register(messageType, handler);
    }

    @Override
    public CompletableFuture<byte[]> request(PeerAddress to, int messageType, byte[] payload, long timeoutMillis) {
        messages.computeIfAbsent(messageType, t -> new LongAdder()).increment();
        bytes.computeIfAbsent(messageType, t -> new LongAdder()).add(payload.length);
        return transport.request(to, messageType, payload, timeoutMillis).thenApply(reply -> {
            bytes.get(messageType).add(reply.length);
            return reply;
        });
    }

    /** Bytes sent and received per message type since the last reset, ascending by type. */
    Map<Integer, Long> bytesByType() {
        Map<Integer, Long> out = new TreeMap<>();
        bytes.forEach((t, n) -> out.put(t, n.sum()));
        return out;
    }

    Map<Integer, Long> messagesByType() {
        Map<Integer, Long> out = new TreeMap<>();
        messages.forEach((t, n) -> out.put(t, n.sum()));
        return out;
    }

    void reset() {
        bytes.clear();
        messages.clear();
    }

    @Override
    public void start() {
        transport.start();
    }

    @Override
    public void close() {
        transport.close();
    }
}
