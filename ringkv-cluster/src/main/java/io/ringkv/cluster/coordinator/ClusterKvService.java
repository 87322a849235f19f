package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.Consistency;
import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.InvalidRequestException;
import io.ringkv.cluster.api.KvService;
import io.ringkv.cluster.api.NotReadyException;
import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.QuorumNotMetException;
import io.ringkv.cluster.api.RequestOptions;
import io.ringkv.cluster.api.StoreFailureException;
import io.ringkv.cluster.handoff.HintStore;
import io.ringkv.cluster.replica.ReplicaStore;
import io.ringkv.cluster.service.GuardedStore;
import io.ringkv.cluster.service.NewVersions;
import io.ringkv.cluster.service.RequestChecks;
import io.ringkv.cluster.time.Scheduler;
import io.ringkv.cluster.transport.Transport;
import io.ringkv.core.version.Actors;
import io.ringkv.core.ring.Member;
import io.ringkv.core.ring.PreferenceList;
import io.ringkv.core.ring.Ring;
import io.ringkv.core.version.CausalContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link KvService} of a cluster node: the quorum coordinator of Dynamo §4.5 over the ring's
 * preference lists (docs/design/coordinator.md).
 *
 * <ul>
 *   <li><b>get</b>: any node coordinates; it asks R replicas (more if one fails or is slow, or all N
 *       if configured), answers after R, and repairs stale replicas among those that answered in
 *       the background ({@link ReadCoordinator}, {@link ReadRepair}).</li>
 *   <li><b>put / delete</b>: a replica of the key coordinates ({@link WriteCoordinator}); any other
 *       node forwards the request one hop to a replica ({@link Forwarder}), or, under a sloppy
 *       quorum when no replica can be reached, coordinates it itself.</li>
 * </ul>
 * Under a sloppy quorum (Dynamo §4.6, docs/design/hinted-handoff.md) replicas that are down or
 * silent get hints on fallback nodes, which count toward W, and reads may ask fallbacks for their
 * hints; this node's {@link HintStore} holds the hints it takes for others, and
 * {@link HintDelivery} hands them over once their targets are back.
 * R, W, the consistency and the timeout come from the request's {@link RequestOptions}, 0 and
 * DEFAULT meaning the configured default; a quorum may also be counted per data center
 * ({@link Consistency}, {@link QuorumRule}). The asynchronous methods never block the calling thread: the HTTP event loop calls
 * them, the in-memory steps run in place and the rest where replicas' answers arrive. What may
 * block (disk reads, fsync waits, write stalls, read repair) runs on this service's own virtual
 * threads, and deadlines and speculative retries on its timer thread. Thread-safe.
 */
public final class ClusterKvService implements KvService, AutoCloseable {
    private final ClusterView view;
    private final CoordinatorConfig config;
    private final CoordinatorListener listener;
    private final CoordinatorRuntime runtime;
    private final Scheduler timer;
    private final WriteCoordinator writes;
    private final ReadCoordinator reads;
    private final Forwarder forwarder;
    private final NewVersions versions;
    private final HintDelivery delivery;
    private volatile boolean closed;

    /**
     * Registers this node's message handlers on {@code transport}; call before {@code transport.start()}.
     * {@code store} must have been opened with the same conflict policy as {@code config}.
     */
    public ClusterKvService(ClusterView view, Transport transport, ReplicaStore store, CoordinatorConfig config,
                            CoordinatorListener listener) {
        this(view, transport, store, config, listener, Actors.newIncarnation(view.localNodeId()));
    }

    /**
     * As above, writing new versions as {@code actor} rather than a fresh incarnation of this node:
     * for tests that read clocks literally. An actor must never be used by two processes or two
     * starts unless the first stopped cleanly (docs/design/versioning.md, "Actors").
     */
    public ClusterKvService(ClusterView view, Transport transport, ReplicaStore store, CoordinatorConfig config,
                            CoordinatorListener listener, String actor) {
        this(view, transport, store, config, listener,
                CoordinatorRuntime.ownThreads(actor, 0, config.defaultTimeoutMillis()));
    }

    /** As above, on {@code runtime}'s actor, scheduler and executor (a simulation passes its own), keeping no hints. */
    public ClusterKvService(ClusterView view, Transport transport, ReplicaStore store, CoordinatorConfig config,
                            CoordinatorListener listener, CoordinatorRuntime runtime) {
        this(view, transport, store, null, config, listener, runtime);
    }

    /**
     * As above; {@code hints} (null for none) is where this node keeps hints for other nodes as a
     * fallback of the sloppy quorum, and hands them over when their targets are back
     * ({@link HintDelivery}, started here). Without a hint store the node is never chosen as a
     * fallback and refuses HINTED_WRITE.
     */
    public ClusterKvService(ClusterView view, Transport transport, ReplicaStore store, HintStore hints,
                            CoordinatorConfig config, CoordinatorListener listener, CoordinatorRuntime runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.timer = runtime.timer();
        Executor executor = runtime.blockingWork();
        String actor = runtime.actor();
        this.view = Objects.requireNonNull(view, "view");
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(transport, "transport");
        String localNodeId = view.localNodeId();
        GuardedStore guarded = new GuardedStore(Objects.requireNonNull(store, "store"));
        Peers peers = new Peers(view, transport, new Responsiveness(timer, config.handoff().hintAfterMillis()));
        LocalHints localHints = hints == null ? null : new LocalHints(hints, executor, config.clock());
        this.versions = new NewVersions(actor, runtime.alreadyIssued(), config.clock(), config.maxClockEntries());
        this.writes = new WriteCoordinator(localNodeId, guarded, versions, peers, config.conflictPolicy(),
                config.contexts(), executor, timer, localHints, config.handoff().hintAfterMillis());
        ReadRepair readRepair = config.readRepair()
                ? new ReadRepair(localNodeId, guarded, peers, config.conflictPolicy(), config.defaultTimeoutMillis(), timer,
                listener)
                : null;
        this.reads = new ReadCoordinator(localNodeId, guarded, peers, peers::reachable, config, readRepair, executor, timer,
                runtime.random(), localHints);
        this.forwarder = new Forwarder(peers, peers::reachable, listener, config.clock());
        new ReplicaHandlers(guarded, this::coordinateForwarded, executor, listener, hints, config.clock()).registerOn(transport);
        this.delivery = hints == null ? null
                : HintDelivery.start(hints, view, config.strategy(), guarded, peers, config.handoff(), config.clock(), timer,
                        executor);
    }

    /** The actor this node's writes carry since it started: {@code <nodeId>~<incarnation>}. */
    public String actor() {
        return versions.actor();
    }

    /** The highest dot counter this node's actor has issued: recorded at a clean stop so a restart resumes above it. */
    public long dotsIssued() {
        return versions.issued();
    }

    /** N: the HTTP layer validates r and w in 1..N. */
    public int replicationFactor() {
        return config.replicationFactor();
    }

    @Override
    public CompletableFuture<GetResult> getAsync(byte[] key, RequestOptions options) {
        return measured(Op.GET, () -> {
            RequestOptions o = RequestChecks.orDefaults(options);
            RequestChecks.requireKey(key);
            requireRing();
            QuorumLevel level = level("r", o.readQuorum(), config.defaultReadQuorum(), o);
            Deadline deadline = Deadline.afterMillis(timer, RequestChecks.timeoutMillis(o, config.defaultTimeoutMillis()));
            Ring ring = view.ring();
            return reads.coordinate(key, level, ring.preferenceList(key, config.strategy()), dataCentersOf(ring), sloppy(o),
                    deadline);
        });
    }

    @Override
    public CompletableFuture<PutResult> putAsync(byte[] key, String context, byte[] value, RequestOptions options) {
        return measured(Op.PUT, () -> write(Op.PUT, key, context, RequestChecks.requireValue(value), options));
    }

    @Override
    public CompletableFuture<PutResult> deleteAsync(byte[] key, String context, RequestOptions options) {
        return measured(Op.DELETE, () -> write(Op.DELETE, key, context, null, options));
    }

    private CompletableFuture<PutResult> write(Op op, byte[] key, String context, byte[] value, RequestOptions options) {
        RequestOptions o = RequestChecks.orDefaults(options);
        RequestChecks.requireKey(key);
        requireRing();
        QuorumLevel level = level("w", o.writeQuorum(), config.defaultWriteQuorum(), o);
        long timeoutMillis = RequestChecks.timeoutMillis(o, config.defaultTimeoutMillis());
        CausalContext decodedContext = RequestChecks.decodeContext(config.contexts(), context); // a bad context fails here, before any hop
        WriteRequest request = new WriteRequest(op, key, context, value, level, timeoutMillis, sloppy(o));
        Deadline deadline = Deadline.afterMillis(timer, timeoutMillis);
        Ring ring = view.ring();
        Function<String, String> dataCenterOf = dataCentersOf(ring);
        PreferenceList preferences = ring.preferenceList(key, config.strategy());
        List<String> pending = pendingReplicas(key, ring, preferences);
        if (preferences.replicas().contains(view.localNodeId())) {
            return writes.coordinate(request, decodedContext, preferences, pending, dataCenterOf, deadline);
        }
        // Sloppy: when no replica can be reached to coordinate, this node does, with hints (always writable).
        Supplier<CompletableFuture<PutResult>> coordinateHere = request.sloppy()
                ? () -> writes.coordinate(request, decodedContext, preferences, pending, dataCenterOf, deadline) : null;
        return forwarder.forward(request, sameDataCenterFirst(preferences.replicas(), dataCenterOf),
                level.over(preferences.replicas(), dataCenterOf), deadline, coordinateHere);
    }

    /**
     * The request's quorum: its own r or w (a count), else its consistency, else the node's
     * default consistency, where COUNT means the default r or w. A number and a quorum per data
     * center together are refused: which one was meant cannot be guessed.
     */
    private QuorumLevel level(String name, int requested, int defaultCount, RequestOptions options) {
        Consistency consistency = options.consistency();
        if (requested != 0) {
            if (consistency.perDataCenter()) {
                throw new InvalidRequestException(name + " and consistency " + consistency.label + " both given: a quorum per"
                        + " data center replaces " + name + "; give one or the other");
            }
            return QuorumLevel.count(RequestChecks.quorum(name, requested, defaultCount, replicationFactor()));
        }
        return switch (consistency == Consistency.DEFAULT ? config.defaultConsistency() : consistency) {
            case LOCAL_QUORUM -> QuorumLevel.localQuorum(view.localDataCenter().orElseThrow(() -> new NotReadyException(
                    "node " + view.localNodeId() + " is not in the ring yet, so it cannot count a local quorum in its data"
                            + " center; use another node, or retry shortly")));
            case EACH_QUORUM -> QuorumLevel.eachQuorum();
            default -> QuorumLevel.count(RequestChecks.quorum(name, 0, defaultCount, replicationFactor()));
        };
    }

    /** Each node's data center in {@code ring} (null for a node not in it). */
    private static Function<String, String> dataCentersOf(Ring ring) {
        return node -> ring.member(node).map(Member::dataCenter).orElse(null);
    }

    /**
     * {@code replicas} with those in this node's data center first, each part in its order: a
     * forwarded write goes to a nearby replica first, and to one that a cut between data
     * centers leaves reachable.
     */
    private List<String> sameDataCenterFirst(List<String> replicas, Function<String, String> dataCenterOf) {
        Optional<String> local = view.localDataCenter();
        if (local.isEmpty()) {
            return replicas;
        }
        List<String> ordered = new ArrayList<>(replicas.size());
        replicas.stream().filter(r -> local.get().equals(dataCenterOf.apply(r))).forEach(ordered::add);
        replicas.stream().filter(r -> !local.get().equals(dataCenterOf.apply(r))).forEach(ordered::add);
        return ordered;
    }

    /**
     * A write another node forwarded: coordinated here whatever this node's view says (never
     * forwarded again), unless it arrives after the sender's "not after" time, when the sender
     * has already given up on this node and may have sent it to another replica.
     */
    private CompletableFuture<PutResult> coordinateForwarded(ForwardMessages.Forwarded forwarded) {
        WriteRequest request = forwarded.request();
        QuorumLevel level = request.quorum();
        if (config.clock().millis() > forwarded.notAfterEpochMillis()) {
            listener.onForwardExpired(request.op().label);
            return CompletableFuture.failedFuture(new QuorumNotMetException(request.op().label, level.nominalRequired(), 0,
                    level.dataCenter()));
        }
        return Futures.calling(() -> {
            requireRing();
            if (level.consistency() == Consistency.COUNT) {
                RequestChecks.quorum("w", level.count(), config.defaultWriteQuorum(), replicationFactor());
            }
            Ring ring = view.ring();
            PreferenceList preferences = ring.preferenceList(request.key(), config.strategy());
            return writes.coordinate(request, RequestChecks.decodeContext(config.contexts(), request.context()),
                    preferences, pendingReplicas(request.key(), ring, preferences), dataCentersOf(ring),
                    Deadline.afterMillis(timer, request.timeoutMillis()));
        });
    }

    /** The coordinator's first step: a node that does not know the ring refuses rather than guess (ClusterView#knowsRing). */
    private void requireRing() {
        if (!view.knowsRing()) {
            throw new NotReadyException("node " + view.localNodeId() + " restarted and has not heard the ring from a"
                    + " peer yet, so it does not know which nodes hold which keys; use another node, or retry shortly");
        }
    }

    /**
     * The key's replicas in the ring once the joins and departures in progress are done that are
     * not its replicas now: they get its writes too (docs/design/membership.md, "Pending replicas").
     * None, at the cost of one comparison, when no change is in progress.
     */
    private List<String> pendingReplicas(byte[] key, Ring ring, PreferenceList preferences) {
        Ring future = view.futureRing();
        if (future == ring) {
            return List.of();
        }
        List<String> pending = new ArrayList<>(future.preferenceList(key, config.strategy()).replicas());
        pending.removeAll(preferences.replicas());
        return pending;
    }

    private boolean sloppy(RequestOptions options) {
        return switch (options.quorumMode()) {
            case DEFAULT -> config.handoff().sloppyQuorum();
            case SLOPPY -> true;
            case STRICT -> false;
        };
    }

    private <T> CompletableFuture<T> measured(Op op, Supplier<CompletableFuture<T>> request) {
        if (closed) {
            return CompletableFuture.failedFuture(new StoreFailureException("the node is shutting down", null));
        }
        long startNanos = timer.nowNanos();
        return Futures.calling(request).whenComplete((result, failure) -> {
            if (failure != null && KvService.unwrap(failure) instanceof QuorumNotMetException e) {
                listener.onQuorumNotMet(op.label, e.required(), e.acknowledged());
            }
            listener.onRequestCompleted(op.label, timer.nowNanos() - startNanos, failure == null);
        });
    }

    /**
     * Stops serving peers' requests and lets the work in flight (forwarded writes, read repairs)
     * finish, for at most the default request timeout. Does not close the store or the transport:
     * the node owns them and closes them after this.
     */
    @Override
    public void close() {
        closed = true;
        if (delivery != null) {
            delivery.close();
        }
        runtime.stop();
    }
}
