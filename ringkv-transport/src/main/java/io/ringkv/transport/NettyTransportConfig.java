package io.ringkv.transport;

import io.ringkv.cluster.transport.PeerAddress;
import java.util.Objects;

/**
 * Settings of a {@link NettyTransport}. Defaults and their reasons are in
 * docs/design/wire-protocol.md ("Behaviour around the frames").
 *
 * @param listenAddress                 where this node accepts peers, and the host its outgoing sockets bind to
 * @param maxFrameBytes                 largest frame either way, header and checksum included
 * @param connectionsPerPeer            long-lived outgoing connections per peer, used round-robin
 * @param maxInFlightPerPeer            requests awaiting a response per peer before new ones fail fast
 * @param maxInFlightPerConnection      requests one incoming connection may have in handlers at once
 * @param writeBufferLowWaterMarkBytes  a connection becomes writable again below this
 * @param writeBufferHighWaterMarkBytes above this a connection refuses new requests
 * @param connectTimeoutMillis          TCP connect timeout
 * @param reconnectBackoffInitialMillis wait after the first failed connect
 * @param reconnectBackoffMaxMillis     cap of the doubling wait
 * @param eventLoopThreads              Netty I/O threads (handlers never run on them)
 * @param preferEpoll                   use native epoll when available; NIO otherwise
 */
public record NettyTransportConfig(
        PeerAddress listenAddress,
        int maxFrameBytes,
        int connectionsPerPeer,
        int maxInFlightPerPeer,
        int maxInFlightPerConnection,
        int writeBufferLowWaterMarkBytes,
        int writeBufferHighWaterMarkBytes,
        int connectTimeoutMillis,
        long reconnectBackoffInitialMillis,
        long reconnectBackoffMaxMillis,
        int eventLoopThreads,
        boolean preferEpoll) {

    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
    /** The smallest maxFrameBytes that still fits an empty frame and a HELLO. */
    public static final int MIN_MAX_FRAME_BYTES = 1024;

    public NettyTransportConfig {
        Objects.requireNonNull(listenAddress, "listenAddress");
        require(maxFrameBytes >= MIN_MAX_FRAME_BYTES, "maxFrameBytes must be at least " + MIN_MAX_FRAME_BYTES + ", was " + maxFrameBytes);
        require(connectionsPerPeer >= 1 && connectionsPerPeer <= 64, "connectionsPerPeer must be 1..64, was " + connectionsPerPeer);
        require(maxInFlightPerPeer >= 1, "maxInFlightPerPeer must be positive, was " + maxInFlightPerPeer);
        require(maxInFlightPerConnection >= 1, "maxInFlightPerConnection must be positive, was " + maxInFlightPerConnection);
        require(writeBufferLowWaterMarkBytes >= 1 && writeBufferHighWaterMarkBytes >= writeBufferLowWaterMarkBytes,
                "need 1 <= writeBufferLowWaterMarkBytes <= writeBufferHighWaterMarkBytes, got "
                        + writeBufferLowWaterMarkBytes + ", " + writeBufferHighWaterMarkBytes);
        require(connectTimeoutMillis >= 1, "connectTimeoutMillis must be positive, was " + connectTimeoutMillis);
        require(reconnectBackoffInitialMillis >= 0 && reconnectBackoffMaxMillis >= reconnectBackoffInitialMillis,
                "need 0 <= reconnectBackoffInitialMillis <= reconnectBackoffMaxMillis, got "
                        + reconnectBackoffInitialMillis + ", " + reconnectBackoffMaxMillis);
        require(eventLoopThreads >= 1 && eventLoopThreads <= 64, "eventLoopThreads must be 1..64, was " + eventLoopThreads);
    }

    /** The documented defaults for a node listening at {@code listenAddress}. */
    public static NettyTransportConfig defaults(PeerAddress listenAddress) {
        return new NettyTransportConfig(listenAddress, DEFAULT_MAX_FRAME_BYTES, 1, 1024, 1024,
                1024 * 1024, 4 * 1024 * 1024, 1000, 50, 2000,
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), true);
    }

    public NettyTransportConfig withMaxFrameBytes(int value) {
        return new NettyTransportConfig(listenAddress, value, connectionsPerPeer, maxInFlightPerPeer, maxInFlightPerConnection,
                writeBufferLowWaterMarkBytes, writeBufferHighWaterMarkBytes, connectTimeoutMillis,
                reconnectBackoffInitialMillis, reconnectBackoffMaxMillis, eventLoopThreads, preferEpoll);
    }

    public NettyTransportConfig withConnectionsPerPeer(int value) {
        return new NettyTransportConfig(listenAddress, maxFrameBytes, value, maxInFlightPerPeer, maxInFlightPerConnection,
                writeBufferLowWaterMarkBytes, writeBufferHighWaterMarkBytes, connectTimeoutMillis,
                reconnectBackoffInitialMillis, reconnectBackoffMaxMillis, eventLoopThreads, preferEpoll);
    }

    public NettyTransportConfig withMaxInFlight(int perPeer, int perConnection) {
        return new NettyTransportConfig(listenAddress, maxFrameBytes, connectionsPerPeer, perPeer, perConnection,
                writeBufferLowWaterMarkBytes, writeBufferHighWaterMarkBytes, connectTimeoutMillis,
                reconnectBackoffInitialMillis, reconnectBackoffMaxMillis, eventLoopThreads, preferEpoll);
    }

    public NettyTransportConfig withWriteBufferWaterMarkBytes(int lowBytes, int highBytes) {
        return new NettyTransportConfig(listenAddress, maxFrameBytes, connectionsPerPeer, maxInFlightPerPeer, maxInFlightPerConnection,
                lowBytes, highBytes, connectTimeoutMillis,
                reconnectBackoffInitialMillis, reconnectBackoffMaxMillis, eventLoopThreads, preferEpoll);
    }

    public NettyTransportConfig withReconnectBackoffMillis(long initialMillis, long maxMillis) {
        return new NettyTransportConfig(listenAddress, maxFrameBytes, connectionsPerPeer, maxInFlightPerPeer, maxInFlightPerConnection,
                writeBufferLowWaterMarkBytes, writeBufferHighWaterMarkBytes, connectTimeoutMillis,
                initialMillis, maxMillis, eventLoopThreads, preferEpoll);
    }

    public NettyTransportConfig withEventLoopThreads(int value) {
        return new NettyTransportConfig(listenAddress, maxFrameBytes, connectionsPerPeer, maxInFlightPerPeer, maxInFlightPerConnection,
                writeBufferLowWaterMarkBytes, writeBufferHighWaterMarkBytes, connectTimeoutMillis,
                reconnectBackoffInitialMillis, reconnectBackoffMaxMillis, value, preferEpoll);
    }

    public NettyTransportConfig withPreferEpoll(boolean value) {
        return new NettyTransportConfig(listenAddress, maxFrameBytes, connectionsPerPeer, maxInFlightPerPeer, maxInFlightPerConnection,
                writeBufferLowWaterMarkBytes, writeBufferHighWaterMarkBytes, connectTimeoutMillis,
                reconnectBackoffInitialMillis, reconnectBackoffMaxMillis, eventLoopThreads, value);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
