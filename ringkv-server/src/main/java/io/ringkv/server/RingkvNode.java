package io.ringkv.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ringkv.cluster.antientropy.AntiEntropy;
import io.ringkv.cluster.antientropy.RepairAfterDeparture;
import io.ringkv.cluster.admin.ClusterNodeAdmin;
import io.ringkv.cluster.admin.NodeAdmin;
import io.ringkv.cluster.admin.Repairs;
import io.ringkv.cluster.api.KvService;
import io.ringkv.cluster.api.StoreFailureException;
import io.ringkv.cluster.coordinator.ClusterKvService;
import io.ringkv.cluster.coordinator.CoordinatorConfig;
import io.ringkv.cluster.coordinator.CoordinatorRuntime;
import io.ringkv.cluster.handoff.HintStore;
import io.ringkv.cluster.node.ActorFile;
import io.ringkv.cluster.node.ClusterMembership;
import io.ringkv.cluster.node.MembershipSettings;
import io.ringkv.cluster.replica.RepairHorizon;
import io.ringkv.cluster.replica.ReplicaConfig;
import io.ringkv.cluster.replica.ReplicaStore;
import io.ringkv.cluster.replica.SiblingCapListener;
import io.ringkv.cluster.streaming.RangeCleanup;
import io.ringkv.cluster.streaming.Streaming;
import io.ringkv.cluster.time.Scheduler;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.server.config.HttpConfig;
import io.ringkv.server.config.MemoryPlan;
import io.ringkv.server.config.NodeConfig;
import io.ringkv.server.http.ApiSettings;
import io.ringkv.server.http.DashboardSources;
import io.ringkv.server.http.HttpServer;
import io.ringkv.server.metrics.AntiEntropyMetrics;
import io.ringkv.server.metrics.StreamingMetrics;
import io.ringkv.server.metrics.CoordinatorMetrics;
import io.ringkv.server.metrics.EngineMetrics;
import io.ringkv.server.metrics.GossipMetrics;
import io.ringkv.server.metrics.HandoffMetrics;
import io.ringkv.server.metrics.RecentLatencies;
import io.ringkv.server.metrics.TransportMetrics;
import io.ringkv.storage.StorageException;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import io.ringkv.transport.NettyTransport;
import io.ringkv.transport.NettyTransportConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of one node. Every node runs the whole cluster stack (a node with no
 * seeds and n = 1 is a one-node cluster): the replica store over the LSM engine, the Netty
 * inter-node transport bound to {@code cluster.peerHost:peerPort}, gossip membership with the
 * ring view and join ({@link ClusterMembership}), the quorum coordinator
 * ({@link ClusterKvService}) and the HTTP API in front of it, plus their metrics.
 *
 * <p>If gossip finds that another process, started first, holds this node's id (a copied data
 * directory), the node keeps running but serves nothing: the coordinator's messages are refused
 * ({@link RefusedNodeTransport}), the store's HTTP endpoints answer 503 node_refused and
 * {@code /health} says "refused", until an operator stops it.
 *
 * <p>Start order: store; message handlers (coordinator, gossip) on the transport; transport
 * listening; gossip rounds and join; HTTP. Close runs in reverse, once: HTTP stops (requests in
 * flight finish), gossip stops, the coordinator finishes its background work, the transport
 * closes, then the store, so no acknowledged write is cut short.
 */
public final class RingkvNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RingkvNode.class);
    /** Under the data directory: the hint store's engine. */
    public static final String HINTS_DIRECTORY = "hints";
    /** How often a node looks for a settled ring change to clean up after (RangeCleanup). */
    private static final long CLEANUP_CHECK_SECONDS = 2;
    private static final java.util.Set<String> WILDCARD_HOSTS = java.util.Set.of("0.0.0.0", "::", "[::]");

    private final NodeConfig config;
    private final ReplicaStore store;
    private final ClusterMembership membership;
    private final ClusterKvService service;
    private final NettyTransport transport;
    private final HttpServer http;
    private final AntiEntropy antiEntropy;
    private final PrometheusMeterRegistry registry;
    private final Deque<AutoCloseable> closeInOrder;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> left;

    private RingkvNode(NodeConfig config, ReplicaStore store, ClusterMembership membership, ClusterKvService service,
                       NettyTransport transport, HttpServer http, AntiEntropy antiEntropy,
                       PrometheusMeterRegistry registry, Deque<AutoCloseable> closeInOrder, CompletableFuture<Void> left) {
        this.left = left;
        this.config = config;
        this.store = store;
        this.membership = membership;
        this.service = service;
        this.transport = transport;
        this.http = http;
        this.antiEntropy = antiEntropy;
        this.registry = registry;
        this.closeInOrder = closeInOrder;
    }

    /** Opens the store, joins the cluster and starts serving; on failure nothing is left open. */
    public static RingkvNode start(NodeConfig config) {
        config = withConcreteHttpPort(config);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("node", config.nodeId());
        Deque<AutoCloseable> opened = new ArrayDeque<>(); // closed last-opened first
        opened.push(registry::close);
        try {
            EngineMetrics engineMetrics = new EngineMetrics(registry);
            RecentLatencies recentLatencies = new RecentLatencies(System::nanoTime); // the dashboard's live figures
            ReplicaStore store = openStore(config, engineMetrics, registry);
            // A clean stop records the actor and its last counter only once the store has closed
            // (everything it wrote durable), so the next start may resume that actor (ActorFile).
            AtomicReference<ClusterKvService> coordinator = new AtomicReference<>();
            Path dataDirectory = config.dataDirectory();
            opened.push(() -> markStoppedCleanly(dataDirectory, coordinator.get(), store));
            ActorFile.Start actorStart = ActorFile.startup(dataDirectory, config.nodeId());
            engineMetrics.bindStats(store.engine());
            HintStore hints = openHints(config);
            opened.push(hints); // closed after the coordinator, which adds and delivers hints

            // Handlers are called on the transport's event loop: the coordinator's never block there
            // (blocking work goes to its virtual threads), and gossip's go through OffLoopHandlers below.
            // The HTTP server shares these loops unless http.ioThreads gives it its own.
            NettyTransportConfig transportConfig = NettyTransportConfig.defaults(config.cluster().peerAddress());
            if (config.cluster().ioThreads() > 0) {
                transportConfig = transportConfig.withEventLoopThreads(config.cluster().ioThreads());
            }
            NettyTransport transport = new NettyTransport(transportConfig, Runnable::run, System::nanoTime);
            opened.push(transport);
            ExecutorService gossipHandlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ringkv-gossip-handler").factory());
            opened.push(gossipHandlers::shutdownNow);
            TransportMetrics.bind(registry, transport.stats());
            ScheduledExecutorService gossipThread = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("ringkv-gossip").daemon().factory());
            opened.push(gossipThread::shutdownNow);

            ClusterMembership membership = ClusterMembership.open(membershipSettings(config),
                    new OffLoopHandlers(transport, gossipHandlers),
                    Scheduler.realTime(gossipThread), new SplittableRandom(), System::currentTimeMillis);
            ClusterKvService service = new ClusterKvService(membership.clusterView(),
                    new RefusedNodeTransport(transport, membership::refused, config.nodeId()), store, hints,
                    coordinatorConfig(config),
                    new CoordinatorMetrics(registry, recentLatencies), CoordinatorRuntime.ownThreads(actorStart.actor(), actorStart.issued(),
                            config.replication().requestTimeoutMillis()));
            coordinator.set(service);
            opened.push(service);
            GossipMetrics.bind(registry, membership);
            HandoffMetrics.bind(registry, hints, gossipThread);

            // Anti-entropy (docs/design/anti-entropy.md): a Merkle tree per replicated range, compared
            // with the other replicas in the background, and the repair horizon tombstone purges wait for.
            // Its handlers are registered here, before the transport listens; it is stopped before the
            // coordinator, the transport and the store. Null when antiEntropy.enabled is false.
            AntiEntropy antiEntropy = null;
            if (config.antiEntropy().enabled()) {
                ExecutorService aeWork = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ringkv-anti-entropy").factory());
                opened.push(aeWork::shutdownNow);
                ScheduledExecutorService aeTimer = Executors.newSingleThreadScheduledExecutor(
                        Thread.ofPlatform().name("ringkv-anti-entropy-timer").daemon().factory());
                opened.push(aeTimer::shutdownNow);
                AntiEntropyMetrics aeMetrics = new AntiEntropyMetrics(registry);
                antiEntropy = new AntiEntropy(membership.clusterView(),
                        new RefusedNodeTransport(transport, membership::refused, config.nodeId()), store,
                        config.replication().strategy(), config.antiEntropy().config(), Scheduler.realTime(aeTimer),
                        Clock.systemUTC(), aeWork, aeMetrics);
                aeMetrics.bind(antiEntropy);
                antiEntropy.start();
                opened.push(antiEntropy);
                RepairAfterDeparture.watch(membership.gossiper().membership(), antiEntropy, Scheduler.realTime(aeTimer),
                        config.streaming().settleMillis());
            } else {
                log.warn("antiEntropy.enabled is false: replicas are never compared, and no tombstone is ever purged"
                        + " (nothing shows that every replica saw the delete); docs/design/anti-entropy.md");
            }

            // Range streaming (docs/design/membership.md): a join receives its ranges before it is NORMAL,
            // a decommission hands them over before LEFT. Handlers registered before the transport listens.
            ExecutorService streamWork = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ringkv-streaming").factory());
            opened.push(streamWork::shutdownNow);
            CompletableFuture<Void> left = new CompletableFuture<>();
            Streaming streaming = new Streaming(membership, new RefusedNodeTransport(transport, membership::refused,
                    config.nodeId()), store, config.replication().strategy(), config.streaming(),
                    Scheduler.realTime(gossipThread), Clock.systemUTC(), streamWork, config.dataDirectory(),
                    () -> left.complete(null));
            opened.push(streaming);
            // Copies of ranges this node no longer replicates are dropped once a ring change is over.
            RangeCleanup cleanup = new RangeCleanup(membership.clusterView(), store, config.replication().strategy(),
                    Scheduler.realTime(gossipThread), streamWork, 2 * config.streaming().settleMillis());
            opened.push(cleanup::close);
            gossipThread.scheduleWithFixedDelay(cleanup::check, CLEANUP_CHECK_SECONDS, CLEANUP_CHECK_SECONDS, TimeUnit.SECONDS);
            StreamingMetrics.bind(registry, streaming, cleanup);

            transport.start();
            membership.start();
            opened.push(membership);
            streaming.start();

            int replicas = service.replicationFactor();
            ApiSettings api = new ApiSettings(config.nodeId(), config.limits().maxKeyBytes(),
                    config.limits().maxKeyValueBytes(), replicas);
            ClusterStatusSource status = new ClusterStatusSource(membership, config.replication(), hints);
            NodeAdmin admin = new ClusterNodeAdmin(membership.clusterView(), config.replication().strategy(), store, hints,
                    config.versioning().conflictPolicy(), config.cluster().contexts(),
                    antiEntropy != null ? antiEntropy : Repairs.DISABLED, streaming);
            DashboardSources dashboard = new DashboardSources(
                    new RingViewSource(config.nodeId(), () -> membership.clusterView().ring(), config.replication().strategy()),
                    new NodeStatsSource(config.nodeId(), recentLatencies, store.engine(), config.dataDirectory(), Clock.systemUTC()));
            HttpServer http = HttpServer.start(config.http(), api, service, registry, status, status::idConflict, admin,
                    config.http().ioThreads() == 0 ? transport.eventLoopGroup() : null, dashboard);
            opened.push(http);
            RingkvNode node = new RingkvNode(config, store, membership, service, transport, http, antiEntropy, registry, opened,
                    left);
            log.info("ringkv node {} ready: serving HTTP on {}, peers on {}, cluster '{}' (seeds {}, N={} R={} W={}),"
                            + " data in {} (sync {})",
                    config.nodeId(), node.baseUrl(), config.cluster().peerAddress(), config.cluster().name(),
                    config.cluster().seeds(), replicas, config.replication().r(), config.replication().w(),
                    config.dataDirectory(), describe(config.storage().syncPolicy()));
            log.info("ringkv node {} writes as actor {}: {} ({}; docs/design/versioning.md, \"Actors\")",
                    config.nodeId(), service.actor(), actorStart.resumed() ? "resumed" : "a new incarnation",
                    actorStart.reason());
            if (!config.cluster().hasSecret()) {
                log.warn("cluster.secret is not set: clients' contexts are authenticated under a key derived from the"
                        + " cluster name, which refuses damaged contexts and another cluster's, but a client that knows"
                        + " the name could forge one. Set the same random cluster.secret on every node.");
            }
            return node;
        } catch (RuntimeException | Error e) {
            closeAll(opened, config.nodeId());
            throw e;
        }
    }

    /**
     * The HTTP address is gossiped before HTTP binds (gossip starts first), so port 0 ("any free
     * port", for tests) is turned into a concrete free port here. Another process could take it
     * in between; then the bind fails with a clear error.
     */
    private static NodeConfig withConcreteHttpPort(NodeConfig config) {
        HttpConfig http = config.http();
        if (http.port() != 0) {
            return config;
        }
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(http.host()))) {
            return config.withHttp(new HttpConfig(http.host(), probe.getLocalPort(), http.maxInFlightRequests(),
                    http.maxRequestBodyBytes(), http.ioThreads()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot find a free HTTP port on " + http.host() + ": " + e.getMessage(), e);
        }
    }

    private static ReplicaStore openStore(NodeConfig config, EngineMetrics engineMetrics, PrometheusMeterRegistry registry) {
        StorageOptions storage = config.storage().toOptions(config.dataDirectory()).listener(engineMetrics).build();
        ReplicaConfig replica = new ReplicaConfig(config.versioning().conflictPolicy(), config.versioning().maxSiblings(),
                siblingCapMetric(registry));
        try {
            // No tombstone is purged until anti-entropy hands over its repair horizon (or ever, without it).
            return ReplicaStore.open(storage, replica, RepairHorizon.NEVER);
        } catch (StorageException e) {
            throw new StoreFailureException("could not open the store in " + storage.dataDirectory() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The hints this node holds for others: an engine of their own in data/hints, under the node's
     * sync policy, with the smaller memtables and block cache of the memory plan (hints are
     * written only while a replica is away, and delivered by scans, which the cache does not keep).
     */
    private static HintStore openHints(NodeConfig config) {
        StorageOptions options = config.storage().toOptions(config.dataDirectory().resolve(HINTS_DIRECTORY))
                .memtableFlushThresholdBytes(config.memory().hintMemtableBytes())
                .maxImmutableMemtables(MemoryPlan.HINT_IMMUTABLE_MEMTABLES)
                .blockCacheBytes(config.memory().hintBlockCacheBytes())
                .build();
        try {
            return HintStore.open(options, config.versioning().conflictPolicy(), config.replication().handoff().maxBytes());
        } catch (StorageException e) {
            throw new StoreFailureException("could not open the hint store in " + options.dataDirectory() + ": "
                    + e.getMessage(), e);
        }
    }

    private static MembershipSettings membershipSettings(NodeConfig config) {
        // Announced to the other nodes (status, clients): a wildcard listen address means "the peer host".
        String httpHost = WILDCARD_HOSTS.contains(config.http().host()) ? config.cluster().peerHost() : config.http().host();
        PeerAddress httpAddress = new PeerAddress(httpHost, config.http().port());
        return MembershipSettings.of(config.nodeId(), httpAddress, config.cluster().dataCenter(), config.cluster().rack(),
                config.cluster().weight(), config.cluster().gossip(), config.dataDirectory()).withDataStreaming(true)
                .withReplacing(config.replace());
    }

    private static CoordinatorConfig coordinatorConfig(NodeConfig config) {
        return new CoordinatorConfig(config.replication().strategy(), config.replication().r(), config.replication().w(),
                config.replication().requestTimeoutMillis(), config.versioning().maxVectorClockEntries(),
                config.versioning().conflictPolicy(), config.replication().readRepair(), config.replication().readFromAll(),
                config.replication().speculativeRetryMillis(), Clock.systemUTC(),
                config.cluster().contexts(), config.replication().handoff(), config.replication().consistency());
    }

    private static SiblingCapListener siblingCapMetric(PrometheusMeterRegistry registry) {
        Counter exceeded = Counter.builder("ringkv.versioning.sibling.cap.exceeded")
                .description("merges that dropped the oldest siblings of a key because of versioning.maxSiblings")
                .register(registry);
        SiblingCapListener logging = SiblingCapListener.logging();
        return (key, dropped, cap) -> {
            exceeded.increment();
            logging.onSiblingCapExceeded(key, dropped, cap);
        };
    }

    private static String describe(SyncPolicy policy) {
        return switch (policy) {
            case SyncPolicy.Always a -> "always";
            case SyncPolicy.Batch b -> "batch, window " + b.windowMillis() + " ms";
            case SyncPolicy.Periodic p -> "periodic, every " + p.intervalMillis() + " ms";
        };
    }

    public InetSocketAddress httpAddress() {
        return http.address();
    }

    /** {@code http://host:port} of the client API. */
    public String baseUrl() {
        InetSocketAddress a = http.address();
        return "http://" + a.getHostString() + ":" + a.getPort();
    }

    public KvService service() {
        return service;
    }

    /** The actor this node's writes carry: resumed after a clean stop, new after any other (docs/design/versioning.md). */
    public String actor() {
        return service.actor();
    }

    /** This node's replica of its keys (tests look at the engine underneath). */
    public ReplicaStore store() {
        return store;
    }

    /** This node's anti-entropy (Merkle trees, repairs), or empty when {@code antiEntropy.enabled} is false. */
    public Optional<AntiEntropy> antiEntropy() {
        return Optional.ofNullable(antiEntropy);
    }

    public ClusterMembership membership() {
        return membership;
    }

    public NettyTransport transport() {
        return transport;
    }

    public NodeConfig config() {
        return config;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Completes once this node was decommissioned and has left the cluster (LEFT gossiped): its
     * process should then stop ({@link ServerMain} does). It never serves again with this data.
     */
    public CompletableFuture<Void> left() {
        return left;
    }

    /** Stops everything in the reverse of the start order. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeAll(closeInOrder, config.nodeId());
            log.info("ringkv node {} stopped", config.nodeId());
        }
    }

    /**
     * Closes the store, then, if that succeeded, records a clean stop of the coordinator's actor
     * with its last counter: the next start resumes the actor only if both happened.
     */
    private static void markStoppedCleanly(Path dataDirectory, ClusterKvService coordinator, ReplicaStore store) {
        store.close();
        if (coordinator != null) {
            ActorFile.markStopped(dataDirectory, coordinator.actor(), coordinator.dotsIssued());
        }
    }

    /** Closes the last opened first; one failure is logged and does not stop the rest (the store must still close). */
    private static void closeAll(Deque<AutoCloseable> opened, String nodeId) {
        while (!opened.isEmpty()) {
            AutoCloseable next = opened.pop();
            try {
                next.close();
            } catch (Exception e) {
                log.error("node {}: closing {} failed", nodeId, next, e);
            }
        }
    }
}
