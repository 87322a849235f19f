package io.ringkv.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ringkv.cluster.api.KvService;
import io.ringkv.cluster.local.LocalKvConfig;
import io.ringkv.cluster.local.LocalKvService;
import io.ringkv.cluster.replica.SiblingCapListener;
import io.ringkv.server.config.NodeConfig;
import io.ringkv.server.http.ApiSettings;
import io.ringkv.server.http.HttpServer;
import io.ringkv.server.metrics.EngineMetrics;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import java.net.InetSocketAddress;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of one node: builds the storage options from the config, opens the
 * store ({@link LocalKvService} over the engine, with the replica's merge operator and purge
 * policy), wires metrics, and starts the HTTP API in front of it. Closing stops HTTP first
 * (requests in flight finish) and then the store, so no acknowledged write is cut short.
 *
 * <p>This is the single-node wiring. The cluster issue replaces {@link LocalKvService} with the
 * quorum coordinator and starts the peer transport and gossip here, reading
 * {@code config.cluster()} and {@code config.replication()}.
 */
public final class RingkvNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RingkvNode.class);
    /** A single node holds one replica of each key, whatever replication.n says. */
    static final int SINGLE_NODE_REPLICAS = 1;

    private final NodeConfig config;
    private final LocalKvService service;
    private final HttpServer http;
    private final PrometheusMeterRegistry registry;

    private RingkvNode(NodeConfig config, LocalKvService service, HttpServer http, PrometheusMeterRegistry registry) {
        this.config = config;
        this.service = service;
        this.http = http;
        this.registry = registry;
    }

    /** Opens the store and starts serving; on failure nothing is left open. */
    public static RingkvNode start(NodeConfig config) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("node", config.nodeId());
        EngineMetrics engineMetrics = new EngineMetrics(registry);
        StorageOptions storage = config.storage().toOptions(config.dataDirectory()).listener(engineMetrics).build();
        LocalKvConfig local = new LocalKvConfig(config.nodeId(), config.versioning().maxVectorClockEntries(),
                config.versioning().maxSiblings(), config.versioning().conflictPolicy(), Clock.systemUTC());
        LocalKvService service = LocalKvService.open(storage, local, siblingCapMetric(registry));
        try {
            engineMetrics.bindStats(service.store().engine());
            int maxQuorum = Math.min(config.replication().n(), SINGLE_NODE_REPLICAS);
            ApiSettings api = new ApiSettings(config.nodeId(), config.limits().maxKeyBytes(), config.limits().maxKeyValueBytes(), maxQuorum);
            HttpServer http = HttpServer.start(config.http(), api, service, registry);
            RingkvNode node = new RingkvNode(config, service, http, registry);
            log.info("ringkv node {} serving HTTP on {} (data in {}, sync {})", config.nodeId(), node.baseUrl(),
                    config.dataDirectory(), describe(config.storage().syncPolicy()));
            return node;
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
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

    public NodeConfig config() {
        return config;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Stops HTTP (letting requests in flight finish), then closes the store. Idempotent. */
    @Override
    public void close() {
        try {
            http.close();
        } finally {
            service.close();
            registry.close();
        }
        log.info("ringkv node {} stopped", config.nodeId());
    }
}
