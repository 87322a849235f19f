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
import io.ringkv.cluster.admin.NodeAdmin;
import io.ringkv.cluster.api.KvService;
import io.ringkv.server.config.HttpConfig;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client-facing HTTP/1.1 server (Netty; epoll when available). The store's endpoints run on
 * the event loops, which call the non-blocking {@link KvService} and write its answer when it
 * completes; endpoints that may block (metrics, cluster status, admin) run on virtual threads. At most
 * {@code maxInFlightRequests} requests are in flight at once.
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
    /** Whether {@link #io} is this server's own (shut down on close) or lent by the node. */
    private final boolean ownsIo;
    private final ExecutorService workers;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final Channel serverChannel;
    /** Asks the other nodes for their stats on the dashboard's behalf; null without a dashboard. */
    private ClusterStatsHandler clusterStats;
    private volatile boolean serving = true;

    private HttpServer(HttpConfig config, ApiSettings settings, KvService service, PrometheusMeterRegistry registry,
                       Supplier<ClusterStatus> clusterStatus, Supplier<Optional<ClusterStatus.IdConflict>> idConflict,
                       NodeAdmin admin, EventLoopGroup sharedIo, DashboardSources dashboard) {
        boolean epoll = sharedIo == null ? Epoll.isAvailable() : sharedIo instanceof EpollEventLoopGroup;
        this.acceptor = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        this.ownsIo = sharedIo == null;
        this.io = sharedIo != null ? sharedIo
                : epoll ? new EpollEventLoopGroup(config.ioThreads()) : new NioEventLoopGroup(config.ioThreads());
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ringkv-http").factory());
        this.maxInFlight = config.maxInFlightRequests();
        this.inFlight = new Semaphore(maxInFlight);
        HttpMetrics metrics = new HttpMetrics(registry);
        Router router = routes(settings, service, registry, clusterStatus, idConflict, admin);
        if (dashboard != null && clusterStatus != null) {
            dashboard(router, dashboard, clusterStatus, admin);
        }

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
        return new HttpServer(config, settings, service, registry, null, Optional::empty, null, null, null);
    }

    /**
     * Binds and starts serving, {@code GET /api/v1/cluster} answered from {@code clusterStatus};
     * while {@code idConflict} says this process gave its node id up to another, {@code /health}
     * says "refused" and the store's endpoints answer 503 node_refused. With {@code admin} not null
     * the node also serves {@code /api/v1/admin/...} (docs/http-api.md, "Admin"); without it those
     * paths are 404 no_route. Connections are served on
     * {@code sharedIo} when not null (the node's transport loops, so that a request and the peer
     * messages it causes run on one thread), else on event loops of this server's own:
     * {@code http.ioThreads} of them, or Netty's default (2 x cores) for 0.
     *
     * @param idConflict called on every request, on the event loop: must be cheap and never block
     */
    public static HttpServer start(HttpConfig config, ApiSettings settings, KvService service, PrometheusMeterRegistry registry,
                                   Supplier<ClusterStatus> clusterStatus, Supplier<Optional<ClusterStatus.IdConflict>> idConflict,
                                   NodeAdmin admin, EventLoopGroup sharedIo) {
        return start(config, settings, service, registry, clusterStatus, idConflict, admin, sharedIo, null);
    }

    /**
     * As above, and with {@code dashboard} not null also serves the web dashboard at {@code /} and
     * its JSON: {@code /api/v1/ring}, {@code /api/v1/stats}, {@code /api/v1/stats/cluster}
     * (docs/http-api.md, "Dashboard").
     */
    public static HttpServer start(HttpConfig config, ApiSettings settings, KvService service, PrometheusMeterRegistry registry,
                                   Supplier<ClusterStatus> clusterStatus, Supplier<Optional<ClusterStatus.IdConflict>> idConflict,
                                   NodeAdmin admin, EventLoopGroup sharedIo, DashboardSources dashboard) {
        return new HttpServer(config, settings, service, registry, Objects.requireNonNull(clusterStatus, "clusterStatus"),
                Objects.requireNonNull(idConflict, "idConflict"), admin, sharedIo, dashboard);
    }

    private void dashboard(Router router, DashboardSources dashboard, Supplier<ClusterStatus> clusterStatus, NodeAdmin admin) {
        StaticAssets.register(router);
        StatsHandler stats = new StatsHandler(dashboard.stats(), admin);
        clusterStats = new ClusterStatsHandler(clusterStatus, stats);
        router.exact("/api/v1/ring", route("ring", HttpMethod.GET, new RingHandler(dashboard.ring()), Router.Execution.WORKER))
                .exact("/api/v1/stats", route("stats", HttpMethod.GET, stats, Router.Execution.WORKER))
                .exact("/api/v1/stats/cluster", route("stats_cluster", HttpMethod.GET, clusterStats, Router.Execution.WORKER));
    }

    private Router routes(ApiSettings settings, KvService service, PrometheusMeterRegistry registry,
                          Supplier<ClusterStatus> clusterStatus, Supplier<Optional<ClusterStatus.IdConflict>> idConflict,
                          NodeAdmin admin) {
        RequestRules rules = new RequestRules(settings.maxKeyBytes(), settings.maxKeyValueBytes(), settings.maxQuorum());
        RefusedNodeGate gate = new RefusedNodeGate(idConflict);
        Handler raw = gate.around(new RawKvHandler(service, rules));
        Router router = new Router();
        Router.Route getValue = route("get_value", HttpMethod.GET, gate.around(GetHandler.singleValue(service, rules)),
                Router.Execution.EVENT_LOOP);
        if (clusterStatus != null) {
            router.exact("/api/v1/cluster", route("cluster", HttpMethod.GET, new ClusterHandler(clusterStatus), Router.Execution.WORKER));
        }
        if (admin != null) {
            new AdminHandlers(admin, rules, settings.nodeId(), clusterStatus).register(router, gate);
        }
        return router
                .exact("/api/v1/get", route("get", HttpMethod.GET, gate.around(GetHandler.versions(service, rules)), Router.Execution.EVENT_LOOP))
                // the design notes' read; the notes spell it getValye, and a caller copying them should not get a 404
                .exact("/api/v1/getValue", getValue)
                .exact("/api/v1/getValye", getValue)
                .exact("/api/v1/put", route("put", HttpMethod.POST, gate.around(WriteHandler.put(service, rules)), Router.Execution.EVENT_LOOP))
                .exact("/api/v1/delete", route("delete", HttpMethod.POST, gate.around(WriteHandler.delete(service, rules)), Router.Execution.EVENT_LOOP))
                .exact("/health", route("health", HttpMethod.GET, StatusHandlers.health(settings.nodeId(), () -> serving, idConflict),
                        Router.Execution.INLINE))
                .exact("/health/ready", route("ready", HttpMethod.GET,
                        ReadinessHandler.ready(settings.nodeId(), () -> serving, clusterStatus, idConflict), Router.Execution.WORKER))
                .exact("/metrics", route("metrics", HttpMethod.GET, StatusHandlers.metrics(registry), Router.Execution.WORKER))
                .prefix(RawKvHandler.PREFIX, new Router.Route("kv", Map.of(HttpMethod.GET, raw, HttpMethod.PUT, raw, HttpMethod.DELETE, raw),
                        Router.Execution.EVENT_LOOP));
    }

    private static Router.Route route(String endpoint, HttpMethod method, Handler handler, Router.Execution execution) {
        return new Router.Route(endpoint, Map.of(method, handler), execution);
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
        if (clusterStats != null) {
            clusterStats.close();
        }
        workers.shutdown();
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        if (ownsIo) {
            io.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        try {
            workers.awaitTermination(DRAIN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
