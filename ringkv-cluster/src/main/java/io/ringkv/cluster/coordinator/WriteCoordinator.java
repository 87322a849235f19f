package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.StoreFailureException;
import io.ringkv.cluster.service.GuardedStore;
import io.ringkv.cluster.service.NewVersions;
import io.ringkv.cluster.time.Scheduler;
import io.ringkv.core.ring.PreferenceList;
import io.ringkv.core.version.CausalContext;
import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.core.version.ContextCodec;
import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.Versioned;
import io.ringkv.storage.PendingDurability;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Coordinates a put or delete on this node (Dynamo §4.5, "put()"), in named steps:
 * <ol>
 *   <li><b>version</b>: a new {@link Versioned} from the client's context and this node's next dot;</li>
 *   <li><b>merge</b>: the sibling set this node will hold once the version is applied: what it
 *       holds now (one local read) joined with the new version;</li>
 *   <li><b>apply locally</b>, visible to reads but not yet durable: always, even if this node is
 *       not a replica in its own view (a forwarded request whose sender's view differed), because
 *       the node that issued a dot must hold every version it coordinated for the key;</li>
 *   <li><b>fan out</b> REPLICA_WRITE of that whole set, not just the new version, to the other
 *       replicas (docs/design/versioning.md, "A requirement on the cluster coordinator"), and
 *       hints for those that are down, silent or fail, to fallbacks ({@link WriteFanout});</li>
 *   <li><b>await durable</b> locally (it counts as an acknowledgement only if this node is a
 *       replica) while the replicas apply theirs, and <b>await W</b> acknowledgements or the deadline;</li>
 *   <li><b>reply</b> with the writer's context plus the new dot, exactly
 *       ({@link Siblings#contextAfterWriting}, docs/design/versioning.md "Contexts are exact").</li>
 * </ol>
 * The first three steps run in the key's section ({@link KeySections}): with dot k+1 taken only
 * after version k is visible locally, the set sent with k+1 always holds k, so no replica ever
 * holds a set whose context claims a dot of this node it does not hold. The fsync wait runs
 * outside it and overlaps the replicas' (one after the other a write took two fsyncs in a row,
 * docs/performance-notes.md).
 *
 * <p>Nothing blocks the caller's thread, which may be an event loop: the section is taken with
 * {@code tryLock} and the first three steps run in place when the key's versions are in memory
 * and the engine takes the write without stalling - the usual case; otherwise (section busy,
 * disk read, write stall) they run on the executor for blocking work. The fsync is awaited as a
 * future the commit log's sync thread completes ({@link PendingDurability#whenDurable}). A
 * local storage failure fails the request ({@code StoreFailureException}); if the fsync fails,
 * the replicas may already hold the version, as when a write fails after reaching fewer than W
 * replicas (nothing is undone, Dynamo has no rollback either).
 */
final class WriteCoordinator {
    /**
     * Fallbacks considered for one write's hints: enough for every replica to fail over twice,
     * and, in a cluster of a few data centers, to find some in each.
     */
    private static final int MAX_FALLBACKS = 16;

    /** The outcome of the first three steps. */
    private record LocalWrite(Versioned version, Siblings merged, PendingDurability durability) {
    }

    private final String localNodeId;
    private final GuardedStore store;
    private final NewVersions versions;
    private final Peers peers;
    private final ConflictPolicy policy;
    private final ContextCodec contexts;
    private final Executor blockingWork;
    private final Scheduler timer;
    private final KeySections sections = new KeySections();
    private final LocalHints localHints;
    private final long hintAfterMillis;

    /** {@code localHints} null: this node holds no hints for others (it is never chosen as a fallback). */
    WriteCoordinator(String localNodeId, GuardedStore store, NewVersions versions, Peers peers, ConflictPolicy policy,
                     ContextCodec contexts, Executor blockingWork, Scheduler timer, LocalHints localHints,
                     long hintAfterMillis) {
        this.localHints = localHints;
        this.hintAfterMillis = hintAfterMillis;
        this.contexts = contexts;
        this.localNodeId = localNodeId;
        this.store = store;
        this.versions = versions;
        this.peers = peers;
        this.policy = policy;
        this.blockingWork = blockingWork;
        this.timer = timer;
    }

    /**
     * Runs {@code request} against the key's preference list in this node's view: its replicas,
     * and its fallbacks for hints; {@code pendingReplicas} get the write too, uncounted (nodes
     * joining its replicas); {@code context} is the request's context, decoded and checked by the
     * caller; {@code dataCenterOf} names each node's data center, for the quorum's counting and
     * the choice of fallbacks ({@link WriteFanout}).
     */
    CompletableFuture<PutResult> coordinate(WriteRequest request, CausalContext context, PreferenceList preferences,
                                            List<String> pendingReplicas, Function<String, String> dataCenterOf,
                                            Deadline deadline) {
        LocalWrite inMemory = tryWriteInMemory(request, context);
        if (inMemory != null) {
            return fanOut(request, inMemory, preferences, pendingReplicas, dataCenterOf, deadline);
        }
        return Futures.blocking(() -> writeLocally(request, context), blockingWork)
                .thenCompose(local -> fanOut(request, local, preferences, pendingReplicas, dataCenterOf, deadline));
    }

    /** Steps 1-3 without blocking, or null (nothing done) when they would block. */
    private LocalWrite tryWriteInMemory(WriteRequest request, CausalContext context) {
        ReentrantLock section = sections.of(request.key());
        if (!section.tryLock()) {
            return null;
        }
        try {
            Siblings current = localVersions(() -> store.readIfInMemory(request.key()));
            if (current == null) {
                return null;
            }
            Versioned version = versions.create(context, request.value(), current);
            PendingDurability durability = store.tryApplyVisible(request.key(), version);
            // a stall after the dot was taken leaves that dot unused: harmless, no version claims it
            return durability == null ? null : new LocalWrite(version, merge(current, version), durability);
        } finally {
            section.unlock();
        }
    }

    /** Steps 1-3 on a thread that may block. */
    private LocalWrite writeLocally(WriteRequest request, CausalContext context) {
        ReentrantLock section = sections.of(request.key());
        section.lock();
        try {
            Siblings current = localVersions(() -> store.read(request.key()));
            Versioned version = versions.create(context, request.value(), current);
            return new LocalWrite(version, merge(current, version), store.applyVisible(request.key(), version));
        } finally {
            section.unlock();
        }
    }

    private Siblings merge(Siblings current, Versioned version) {
        return VersionMerge.of(List.of(current, Siblings.of(version)), policy);
    }

    /** Steps 4 and 5. */
    private CompletableFuture<PutResult> fanOut(WriteRequest request, LocalWrite local, PreferenceList preferences,
                                                List<String> pendingReplicas, Function<String, String> dataCenterOf,
                                                Deadline deadline) {
        List<String> replicas = preferences.replicas();
        boolean localIsReplica = replicas.contains(localNodeId);
        List<String> others = new ArrayList<>(replicas);
        others.remove(localNodeId);
        QuorumRule rule = request.quorum().over(replicas, dataCenterOf);
        QuorumWaiter waiter = new QuorumWaiter(rule, localIsReplica ? replicas : others);
        List<String> pending = pendingReplicas.stream().filter(p -> !p.equals(localNodeId)).toList();
        WriteFanout.start(peers, localHints, localNodeId, request.key(), local.merged(), others, pending,
                preferences.fallbacks(MAX_FALLBACKS), dataCenterOf, request.sloppy(), hintAfterMillis, timer, deadline,
                waiter);
        CompletableFuture<Void> durable = durable(local.durability());
        if (localIsReplica) {
            durable.whenComplete((ok, failure) -> {
                if (failure == null) {
                    waiter.succeeded(localNodeId);
                } else {
                    waiter.failed(localNodeId);
                }
            });
        }
        return durable.thenCombine(waiter.outcome(deadline, timer), (ok, tally) -> {
            if (!tally.met()) {
                throw rule.notMet(request.op().label, tally.successesByScope());
            }
            return new PutResult(contexts.encode(local.merged().contextAfterWriting(local.version())),
                    tally.successes() - tally.hints(), tally.hints());
        });
    }

    /**
     * Done at once when nothing is left to wait for (always under periodic sync), else when the
     * commit log's sync thread completes it: no thread waits for the fsync.
     */
    private static CompletableFuture<Void> durable(PendingDurability pending) {
        return pending.isDurable() ? CompletableFuture.completedFuture(null) : pending.whenDurable();
    }

    /** The local read a write needs; its failure is this write's failure, and says so. */
    private static Siblings localVersions(Supplier<Siblings> read) {
        try {
            return read.get();
        } catch (StoreFailureException e) {
            throw new StoreFailureException("write failed: " + e.getMessage(), e.getCause());
        }
    }
}
