package io.ringkv.server.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.ringkv.cluster.api.KvService;
import io.ringkv.server.config.HttpConfig;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client-facing HTTP/1.1 server (Netty; epoll when available). Event loops only parse and
 * write; store calls run on virtual threads, at most {@code maxInFlightRequests} at once.
 * {@link #close()} stops accepting, lets requests in flight finish (bounded wait), then closes
 * connections, so the caller can close the store after it.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final int MAX_INITIAL_LINE_BYTES = 16 << 10;
    private static final int MAX_HEADER_BYTES = 16 << 10;
    private static final long DRAIN_TIMEOUT_MILLIS = 10_000;

    private final EventLoopGroup acceptor;
    private final EventLoopGroup io;
    private final ExecutorService workers;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final Channel serverChannel;
    private volatile boolean serving = true;

    private HttpServer(HttpConfig config, ApiSettings settings, KvService service, PrometheusMeterRegistry registry,
                       Supplier<ClusterStatus> clusterStatus) {
        boolean epoll = Epoll.isAvailable();
        this.acceptor = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        this.io = epoll ? new EpollEventLoopGroup(config.ioThreads()) : new NioEventLoopGroup(config.ioThreads());
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ringkv-http").factory());
        this.maxInFlight = config.maxInFlightRequests();
        this.inFlight = new Semaphore(maxInFlight);
        HttpMetrics metrics = new HttpMetrics(registry);
        Router router = routes(settings, service, registry, clusterStatus);

        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, io)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline()
                                .addLast(new HttpServerCodec(MAX_INITIAL_LINE_BYTES, MAX_HEADER_BYTES, 8192))
                                .addLast(new BoundedBodyAggregator(config.maxRequestBodyBytes(), metrics))
                                .addLast(new RequestDispatcher(router, inFlight, workers, metrics));
                    }
                });
        ChannelFuture bound = bootstrap.bind(config.host(), config.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutdownExecutors();
            Throwable cause = bound.cause();
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + (cause == null ? "unknown error" : cause.getMessage()), cause);
        }
        this.serverChannel = bound.channel();
    }

    /** Binds and starts serving, without the cluster endpoint; fails if the address cannot be bound. */
    public static HttpServer start(HttpConfig config, ApiSettings settings, KvService service, PrometheusMeterRegistry registry) {
        return new HttpServer(config, settings, service, registry, null);
    }

    /** Binds and starts serving, {@code GET /api/v1/cluster} answered from {@code clusterStatus}. */
    public static HttpServer start(HttpConfig config, ApiSettings settings, KvService service, PrometheusMeterRegistry registry,
                                   Supplier<ClusterStatus> clusterStatus) {
        return new HttpServer(config, settings, service, registry, Objects.requireNonNull(clusterStatus, "clusterStatus"));
    }

    private Router routes(ApiSettings settings, KvService service, PrometheusMeterRegistry registry,
                          Supplier<ClusterStatus> clusterStatus) {
        RequestRules rules = new RequestRules(settings.maxKeyBytes(), settings.maxKeyValueBytes(), settings.maxQuorum());
        RawKvHandler raw = new RawKvHandler(service, rules);
        Router router = new Router();
        if (clusterStatus != null) {
            router.exact("/api/v1/cluster", new Router.Route("cluster", Map.of(HttpMethod.GET, new ClusterHandler(clusterStatus)), false));
        }
        return router
                .exact("/api/v1/get", new Router.Route("get", Map.of(HttpMethod.GET, new GetHandler(service, rules)), false))
                .exact("/api/v1/put", new Router.Route("put", Map.of(HttpMethod.POST, WriteHandler.put(service, rules)), false))
                .exact("/api/v1/delete", new Router.Route("delete", Map.of(HttpMethod.POST, WriteHandler.delete(service, rules)), false))
                .exact("/health", new Router.Route("health", Map.of(HttpMethod.GET, StatusHandlers.health(settings.nodeId(), () -> serving)), true))
                .exact("/metrics", new Router.Route("metrics", Map.of(HttpMethod.GET, StatusHandlers.metrics(registry)), false))
                .prefix(RawKvHandler.PREFIX, new Router.Route("kv", Map.of(HttpMethod.GET, raw, HttpMethod.PUT, raw, HttpMethod.DELETE, raw), false));
    }

    /** The bound address (the real port when configured with port 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    @Override
    public void close() {
        if (!serving) {
            return;
        }
        serving = false;
        serverChannel.close().syncUninterruptibly();
        try {
            if (!inFlight.tryAcquire(maxInFlight, DRAIN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                log.warn("HTTP requests still in flight after {} ms; closing connections anyway", DRAIN_TIMEOUT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connections.close().awaitUninterruptibly(DRAIN_TIMEOUT_MILLIS);
        shutdownExecutors();
    }

    private void shutdownExecutors() {
        workers.shutdown();
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        try {
            workers.awaitTermination(DRAIN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
