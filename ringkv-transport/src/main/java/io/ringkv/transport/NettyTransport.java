package io.ringkv.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import io.ringkv.cluster.transport.TransportException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Transport} over TCP with Netty, speaking the framed protocol of
 * docs/design/wire-protocol.md: CRC32C-checked frames with request ids and deadlines, a few pooled
 * long-lived connections per peer, a bound on in-flight requests, handlers run off the event loop.
 *
 * <p>The node listens on {@link NettyTransportConfig#listenAddress()} and binds its outgoing sockets
 * to the same host, so every inter-node packet's source address names the node that sent it and a
 * test can partition chosen pairs of nodes with firewall rules.
 */
public final class NettyTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(NettyTransport.class);
    private static final long SHUTDOWN_TIMEOUT_MILLIS = 5_000;

    private final NettyTransportConfig config;
    private final TransportStats stats = new TransportStats();
    private final Map<Integer, RequestHandler> handlers = new ConcurrentHashMap<>();
    private final Map<PeerAddress, PeerConnections> peers = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong();
    private final EventLoops eventLoops;
    private final Executor handlerExecutor;
    private final ExecutorService ownedExecutor;
    private final LongSupplier nanoClock;
    private final Bootstrap dialBootstrap;
    private final InetSocketAddress localBindAddress;
    private final byte[] helloPayload;
    private final ChannelGroup acceptedChannels;
    private Channel listener; // guarded by this
    private volatile boolean closed;

    /** A transport with the default handler executor (a virtual thread per request) and the system clock. */
    public NettyTransport(NettyTransportConfig config) {
        this(config, null, System::nanoTime);
    }

    /**
     * @param handlerExecutor where request handlers are called; null for a virtual thread per request
     *                        (owned, and shut down by {@link #close()}); {@code Runnable::run} calls
     *                        them on the event loop, for handlers that hand their work off themselves
     * @param nanoClock       monotonic nanoseconds, for deadlines and backoff
     */
    public NettyTransport(NettyTransportConfig config, Executor handlerExecutor, LongSupplier nanoClock) {
        this.config = Objects.requireNonNull(config, "config");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.helloPayload = Hello.encode(config.listenAddress());
        if (handlerExecutor == null) {
            this.ownedExecutor = Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name("ringkv-transport-handler-", 0).factory());
            this.handlerExecutor = ownedExecutor;
        } else {
            this.ownedExecutor = null;
            this.handlerExecutor = handlerExecutor;
        }
        this.localBindAddress = new InetSocketAddress(config.listenAddress().host(), 0);
        this.eventLoops = EventLoops.create(config.preferEpoll(), config.eventLoopThreads(),
                "ringkv-transport-" + config.listenAddress());
        this.acceptedChannels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        WriteBufferWaterMark waterMark = new WriteBufferWaterMark(
                config.writeBufferLowWaterMarkBytes(), config.writeBufferHighWaterMarkBytes());
        this.dialBootstrap = new Bootstrap()
                .group(eventLoops.ioGroup())
                .channel(eventLoops.channelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, config.connectTimeoutMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark);
    }

    @Override
    public PeerAddress localAddress() {
        return config.listenAddress();
    }

    /** Counters for the server's metrics. */
    public TransportStats stats() {
        return stats;
    }

    /** Whether the native epoll transport is in use (NIO otherwise). */
    public boolean usesEpoll() {
        return eventLoops.epoll();
    }

    @Override
    public void register(int messageType, RequestHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (handlers.putIfAbsent(messageType, handler) != null) {
            throw new IllegalStateException("a handler for message type " + messageType + " is already registered");
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
            return CompletableFuture.failedFuture(new TransportException("transport closed"));
        }
        if (Frame.OVERHEAD_BYTES + (long) payload.length > config.maxFrameBytes()) {
            return CompletableFuture.failedFuture(new TransportException("request payload of " + payload.length
                    + " bytes exceeds maxFrameBytes " + config.maxFrameBytes() + " (less " + Frame.OVERHEAD_BYTES + " bytes of framing)"));
        }
        PeerConnections peer = peers.computeIfAbsent(to, this::newPeer);
        try {
            // Payload is not copied: it is encoded on the event loop, so a caller must not mutate it after sending.
            return peer.send(requestIds.incrementAndGet(), messageType, payload, timeoutMillis);
        } catch (RejectedExecutionException closedMeanwhile) { // event loops already shut down
            peer.close();
            return CompletableFuture.failedFuture(new TransportException("transport closed", closedMeanwhile));
        }
    }

    /**
     * The event loops serving peers' connections. A node may serve other channels on them (its
     * HTTP server does) provided their handlers never block; the transport shuts them down.
     */
    public EventLoopGroup eventLoopGroup() {
        return eventLoops.ioGroup();
    }

    /**
     * Frames written to one connection during one turn of its event loop go out in one syscall:
     * a flush is deferred to the end of the turn (or of the read burst), so the requests a
     * coordinator sends to a peer for several clients, or the answers a replica gives to several
     * requests read at once, share a {@code write(2)}. On loopback with 2 cores the syscalls and
     * the peer's wake-ups they cause were most of the kernel time (docs/performance-notes.md).
     */
    private static FlushConsolidationHandler batchedFlushes() {
        return new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true);
    }

    /** A peer's HELLO on an accepted connection: if we were backing off from dialing it, stop. */
    private void peerSaidHello(PeerAddress address) {
        PeerConnections peer = peers.get(address);
        if (peer != null) {
            peer.peerIsListening();
        }
    }

    private PeerConnections newPeer(PeerAddress address) {
        Bootstrap bootstrap = dialBootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(
                        batchedFlushes(),
                        new FrameDecoder(config.maxFrameBytes(), stats),
                        new FrameEncoder(config.maxFrameBytes(), stats),
                        new DialerHandler(address, stats));
            }
        });
        return new PeerConnections(address, bootstrap, localBindAddress, helloPayload, eventLoops.ioGroup(),
                nanoClock, stats, config);
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("transport is closed");
        }
        if (listener != null) {
            throw new IllegalStateException("transport already started on " + config.listenAddress());
        }
        ServerBootstrap server = new ServerBootstrap()
                .group(eventLoops.acceptGroup(), eventLoops.ioGroup())
                .channel(eventLoops.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        config.writeBufferLowWaterMarkBytes(), config.writeBufferHighWaterMarkBytes()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        acceptedChannels.add(channel);
                        channel.pipeline().addLast(
                                batchedFlushes(),
                                new FrameDecoder(config.maxFrameBytes(), stats),
                                new FrameEncoder(config.maxFrameBytes(), stats),
                                new AcceptorHandler(handlers::get, handlerExecutor, nanoClock, stats,
                                        config.maxFrameBytes(), config.maxInFlightPerConnection(), NettyTransport.this::peerSaidHello));
                    }
                });
        PeerAddress address = config.listenAddress();
        try {
            listener = server.bind(address.host(), address.port()).syncUninterruptibly().channel();
        } catch (Exception e) { // Netty rethrows the bind's checked exception undeclared
            throw new TransportException("cannot listen on " + address + ": " + e, e);
        }
        log.info("inter-node transport listening on {} ({})", address, eventLoops.epoll() ? "epoll" : "nio");
    }

    /** Stops listening, fails outstanding requests with {@link TransportException}, releases all threads. */
    @Override
    public void close() {
        Channel toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = listener;
        }
        if (toClose != null) {
            toClose.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MILLIS);
        }
        for (PeerConnections peer : List.copyOf(peers.values())) {
            peer.close();
        }
        acceptedChannels.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MILLIS);
        eventLoops.shutdown(SHUTDOWN_TIMEOUT_MILLIS);
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow(); // a hung handler must not hold shutdown hostage
        }
    }
}
