package io.ringkv.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A ringkv client: Dynamo's {@code get(key)} and {@code put(key, context, value)} (§4.1) over
 * the public HTTP API of any node (docs/http-api.md, the raw-bytes endpoints). Thread-safe;
 * make one per application and share it. Usage and semantics: docs/client.md.
 *
 * <pre>{@code
 * try (RingkvClient client = RingkvClient.builder()
 *         .nodes(List.of(URI.create("http://127.0.0.1:8001"), URI.create("http://127.0.0.1:8002")))
 *         .build()) {
 *     Versions cart = client.get("cart");
 *     byte[] merged = merge(cart.values());           // the application resolves siblings
 *     client.put("cart", cart.context(), merged);      // supersedes every version read
 * }
 * }</pre>
 *
 * <p>Every call either returns the node's answer or throws a {@link RingkvException}: a
 * {@link RingkvServerException} subtype for an error answer, {@link RingkvUnavailableException}
 * when no node could be reached. Keys and values are bytes; the String overloads use UTF-8.
 */
public final class RingkvClient implements AutoCloseable {
    private static final String JSON = "application/json";

    private final List<URI> nodes;
    private final Failover failover;
    private final RingRefresher ringRefresher; // null: plain mode
    private final long timeoutNanos;
    private final Executor asyncExecutor;
    private final ExecutorService ownedAsyncExecutor; // null when the application gave its own

    private RingkvClient(List<URI> nodes, Failover failover, RingRefresher ringRefresher, long timeoutNanos,
                         Executor asyncExecutor, ExecutorService ownedAsyncExecutor) {
        this.nodes = nodes;
        this.failover = failover;
        this.ringRefresher = ringRefresher;
        this.timeoutNanos = timeoutNanos;
        this.asyncExecutor = asyncExecutor;
        this.ownedAsyncExecutor = ownedAsyncExecutor;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The nodes given to the builder, in that order (a partition-aware client learns the others from the ring). */
    public List<URI> nodes() {
        return nodes;
    }

    /** Whether requests go straight to a replica of their key ({@link Builder#partitionAware(boolean)}). */
    public boolean isPartitionAware() {
        return ringRefresher != null;
    }

    /**
     * The version of the ring a partition-aware client currently routes by (as in
     * {@code GET /api/v1/ring}); empty in plain mode or while no node has told it the ring.
     */
    public Optional<String> ringVersion() {
        RingView view = ringRefresher == null ? null : ringRefresher.view();
        return view == null ? Optional.empty() : Optional.of(view.version());
    }

    /** The key's preference list by the client's current ring (node ids, primary first); empty if it knows no ring. */
    List<String> preferenceList(byte[] key) {
        RingView view = ringRefresher == null ? null : ringRefresher.view();
        return view == null ? List.of() : view.preferenceList(key);
    }

    /** Asks a node for the ring now, as a failed request does (tests: no waiting for the next interval). */
    void refreshRingNow() {
        if (ringRefresher != null) {
            ringRefresher.refreshRingNow();
        }
    }

    /**
     * Opens {@code connectionsPerNode} connections to every node given to the builder before the
     * first request needs them, as a connection pool is primed at start-up: each is checked with
     * {@code GET /health} and kept in the node's idle pool (at most
     * {@link Builder#maxIdleConnectionsPerNode(int)}; idle ones still close after
     * {@link Builder#idleConnectionTimeout(Duration)}). A node that does not answer is backed off
     * as after a failed request and skipped here; the client does not need this call to work.
     *
     * @return the nodes that answered on every connection, in the builder's order
     * @throws RingkvUnavailableException if no node answered
     */
    public List<URI> connect(int connectionsPerNode) {
        if (connectionsPerNode < 1) {
            throw new IllegalArgumentException("connectionsPerNode must be at least 1, got " + connectionsPerNode);
        }
        return failover.connect(connectionsPerNode, timeoutNanos);
    }

    /** Typed reads and writes of {@code T} through {@code codec}, sharing this client's nodes and connections. */
    public <T> TypedClient<T> typed(Codec<T> codec) {
        return new TypedClient<>(this, codec, null, false);
    }

    // ---- reads ----

    public Versions get(String key) {
        return get(utf8(key), ReadOptions.DEFAULT);
    }

    public Versions get(byte[] key) {
        return get(key, ReadOptions.DEFAULT);
    }

    /** Every live version of {@code key} and their context; no versions if the key is absent. */
    public Versions get(byte[] key, ReadOptions options) {
        Objects.requireNonNull(key, "key");
        RawResponse r = failover.send(key, "GET", RequestTarget.kv(key, "r", options.r()), null, null, null,
                options.timeoutNanos(timeoutNanos), true);
        return ResponseMapping.versions(r);
    }

    public CompletableFuture<Versions> getAsync(String key) {
        return getAsync(utf8(key), ReadOptions.DEFAULT);
    }

    /** {@link #get(byte[], ReadOptions)} on the client's async executor; fails with the same exceptions. */
    public CompletableFuture<Versions> getAsync(byte[] key, ReadOptions options) {
        return async(() -> get(key, options));
    }

    // ---- writes ----

    public String put(String key, String context, byte[] value) {
        return put(utf8(key), context, value, WriteOptions.DEFAULT);
    }

    public String put(byte[] key, String context, byte[] value) {
        return put(key, context, value, WriteOptions.DEFAULT);
    }

    /**
     * Stores {@code value} (bytes) under {@code key}. With the context of an earlier read (or
     * write) the new version supersedes every version that context covers; with a null or
     * empty context it is concurrent with what is stored and becomes a sibling of it.
     *
     * @return the context of the version written
     */
    public String put(byte[] key, String context, byte[] value, WriteOptions options) {
        return write(key, "PUT", null, context, Objects.requireNonNull(value, "value"), options);
    }

    public CompletableFuture<String> putAsync(String key, String context, byte[] value) {
        return putAsync(utf8(key), context, value, WriteOptions.DEFAULT);
    }

    /** {@link #put(byte[], String, byte[], WriteOptions)} on the client's async executor. */
    public CompletableFuture<String> putAsync(byte[] key, String context, byte[] value, WriteOptions options) {
        return async(() -> put(key, context, value, options));
    }

    public String putJson(String key, String context, String json) {
        return putJson(utf8(key), context, json, WriteOptions.DEFAULT);
    }

    /** Like {@link #put(byte[], String, byte[], WriteOptions)}, storing a JSON value (a string, list or object). */
    public String putJson(byte[] key, String context, String json, WriteOptions options) {
        byte[] value = Objects.requireNonNull(json, "json").getBytes(StandardCharsets.UTF_8);
        return write(key, "PUT", JSON, context, value, options);
    }

    public String delete(String key, String context) {
        return delete(utf8(key), context, WriteOptions.DEFAULT);
    }

    public String delete(byte[] key, String context) {
        return delete(key, context, WriteOptions.DEFAULT);
    }

    /**
     * Writes a tombstone superseding what {@code context} covers (Dynamo: a delete is a
     * versioned write). Deleting an absent key succeeds.
     *
     * @return the context of the tombstone
     */
    public String delete(byte[] key, String context, WriteOptions options) {
        return write(key, "DELETE", null, context, null, options);
    }

    public CompletableFuture<String> deleteAsync(String key, String context) {
        return deleteAsync(utf8(key), context, WriteOptions.DEFAULT);
    }

    /** {@link #delete(byte[], String, WriteOptions)} on the client's async executor. */
    public CompletableFuture<String> deleteAsync(byte[] key, String context, WriteOptions options) {
        return async(() -> delete(key, context, options));
    }

    /** Writes {@code value} with the given content type (JSON or bytes); the typed API's one way in. */
    String write(byte[] key, String context, byte[] value, boolean json, WriteOptions options) {
        return write(key, "PUT", json ? JSON : null, context, Objects.requireNonNull(value, "value"), options);
    }

    <T> CompletableFuture<T> async(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, asyncExecutor);
    }

    private String write(byte[] key, String method, String contentType, String context, byte[] value, WriteOptions options) {
        Objects.requireNonNull(key, "key");
        String target = RequestTarget.kv(key, "w", options.w());
        RawResponse r = failover.send(key, method, target, contentType, RequestTarget.checkContext(context), value,
                options.timeoutNanos(timeoutNanos), false);
        return ResponseMapping.writtenContext(r);
    }

    static byte[] utf8(String key) {
        return Objects.requireNonNull(key, "key").getBytes(StandardCharsets.UTF_8);
    }

    /** Closes the pooled connections. Calls made after close fail or open connections that are closed after use. */
    @Override
    public void close() {
        if (ringRefresher != null) {
            ringRefresher.close();
        }
        if (ownedAsyncExecutor != null) {
            ownedAsyncExecutor.shutdown(); // calls in flight finish; their connections are closed after use
        }
        failover.close();
    }

    /** Settings of a {@link RingkvClient}; every one but the nodes has a default. */
    public static final class Builder {
        private final List<URI> nodes = new ArrayList<>();
        private Duration timeout = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(1);
        private Duration nodeBackoff = Duration.ofSeconds(2);
        private Duration idleConnectionTimeout = Duration.ofSeconds(30);
        private int maxIdleConnectionsPerNode = 64;
        private NodeSelector selector;
        private boolean partitionAware;
        private Duration ringRefreshInterval = Duration.ofSeconds(2);
        private Duration maxRingAge = Duration.ofSeconds(30);
        private Executor asyncExecutor;
        private LongSupplier ticker = System::nanoTime;

        private Builder() {
        }

        /** The nodes to talk to, {@code http://host:port}; any node can serve any request. */
        public Builder nodes(List<URI> uris) {
            for (URI uri : uris) {
                nodes.add(checkNode(uri));
            }
            return this;
        }

        public Builder nodes(String... urls) {
            for (String url : urls) {
                nodes.add(checkNode(URI.create(url.strip())));
            }
            return this;
        }

        /**
         * How long one node may take to answer (per attempt; a request that fails over waits
         * up to this long for each node it tries). Set it above the cluster's
         * {@code replication.requestTimeout} (2 s by default), so that a slow quorum comes back as
         * a {@link QuorumNotMetException} from the node rather than as a timeout here. Default 5 s.
         */
        public Builder timeout(Duration timeout) {
            this.timeout = positive(timeout, "timeout");
            return this;
        }

        /** How long to wait for a TCP connection to a node. Default 1 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** How long a node that failed is tried only after every other node. Default 2 s. */
        public Builder nodeBackoff(Duration nodeBackoff) {
            this.nodeBackoff = positive(nodeBackoff, "nodeBackoff");
            return this;
        }

        /** Pooled connections idle longer than this are closed rather than reused. Default 30 s. */
        public Builder idleConnectionTimeout(Duration idleConnectionTimeout) {
            this.idleConnectionTimeout = positive(idleConnectionTimeout, "idleConnectionTimeout");
            return this;
        }

        /** Idle keep-alive connections kept per node (one per concurrent caller is ideal). Default 64. */
        public Builder maxIdleConnectionsPerNode(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxIdleConnectionsPerNode must not be negative, was " + max);
            }
            this.maxIdleConnectionsPerNode = max;
            return this;
        }

        /**
         * Which node to try first for each request, in plain mode. Default
         * {@link NodeSelector#roundRobin()}. Not combinable with {@link #partitionAware(boolean)}.
         */
        public Builder nodeSelector(NodeSelector selector) {
            this.selector = Objects.requireNonNull(selector, "selector");
            return this;
        }

        /**
         * Partition-aware (true): the client learns the ring from the nodes given (any one
         * suffices), hashes each key as the server does and sends the request straight to a
         * replica of the key, healthy ones first, falling back along the key's preference list and
         * then to any node. The nodes must be reachable at the HTTP addresses they announce
         * ({@code http.host:http.port}; {@code GET /api/v1/cluster}). Plain (false, the default):
         * requests are spread over the nodes given, which forward them to a replica when needed
         * (one hop): the mode for a load balancer or addresses the client cannot reach.
         */
        public Builder partitionAware(boolean partitionAware) {
            this.partitionAware = partitionAware;
            return this;
        }

        /**
         * How often a partition-aware client asks a node for the members' health, fetching the
         * ring too when it may have changed (and at once after a request failed). Default 2 s.
         */
        public Builder ringRefreshInterval(Duration interval) {
            this.ringRefreshInterval = positive(interval, "ringRefreshInterval");
            return this;
        }

        /** Where {@code *Async} calls run. Default: a new virtual thread per call (the I/O blocks; virtual threads make that cheap). */
        public Builder asyncExecutor(Executor executor) {
            this.asyncExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }


        /** The clock of the back-off (nanoseconds); tests move it by hand. */
        Builder ticker(LongSupplier ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        public RingkvClient build() {
            if (nodes.isEmpty()) {
                throw new IllegalArgumentException("a client needs at least one node URL, e.g. http://127.0.0.1:8001");
            }
            if (partitionAware && selector != null) {
                throw new IllegalArgumentException("a partition-aware client chooses nodes by the ring: drop nodeSelector(...)");
            }
            if (new HashSet<>(nodes).size() != nodes.size()) {
                throw new IllegalArgumentException("a node is listed twice: " + nodes);
            }
            List<URI> list = List.copyOf(nodes);
            NodePool pool = new NodePool(list, maxIdleConnectionsPerNode, idleConnectionTimeout.toNanos());
            AtomicReference<RingRefresher> refresher = new AtomicReference<>();
            NodeSelector chosen = !partitionAware ? (selector != null ? selector : NodeSelector.roundRobin())
                    : new PartitionAwareSelector(() -> refresher.get().view());
            Runnable onNodeFailure = () -> {
                RingRefresher r = refresher.get();
                if (r != null) {
                    r.refreshSoon();
                }
            };
            Failover failover = new Failover(pool, list, chosen, ticker, nodeBackoff.toNanos(),
                    (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()), onNodeFailure);
            if (partitionAware) {
                refresher.set(new RingRefresher(failover, pool, list, ringRefreshInterval.toNanos(), maxRingAge.toNanos(),
                        timeout.toNanos()));
                refresher.get().start();
            }
            ExecutorService owned = asyncExecutor == null ? Executors.newVirtualThreadPerTaskExecutor() : null;
            return new RingkvClient(list, failover, refresher.get(), timeout.toNanos(),
                    asyncExecutor != null ? asyncExecutor : owned, owned);
        }

        /** http://host:port with nothing after it: the API paths are fixed. Normalised to that form. */
        private static URI checkNode(URI uri) {
            Objects.requireNonNull(uri, "node URI");
            if (!"http".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalArgumentException("node URL must start with http:// (https is not supported): " + uri);
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("node URL has no host: " + uri);
            }
            String path = uri.getRawPath();
            if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null) {
                throw new IllegalArgumentException("node URL must be just http://host:port, without a path or query: " + uri);
            }
            int port = uri.getPort() == -1 ? 80 : uri.getPort();
            return URI.create("http://" + uri.getHost() + ":" + port);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
