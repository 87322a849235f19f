package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.InvalidRequestException;
import io.ringkv.cluster.api.KvException;
import io.ringkv.cluster.api.KvService;
import io.ringkv.cluster.api.StoreFailureException;
import io.ringkv.cluster.service.GuardedStore;
import io.ringkv.core.version.Siblings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One get's requests to the key's replicas and the answers they gave. The replicas are asked in
 * a given order ({@link ReadOrder}): the first {@code initial} at once, the local one directly
 * from its store (from memory on the calling thread, from disk on the executor for blocking
 * work), the others with REPLICA_READ in parallel; each one that fails is replaced by
 * the next in the order, and {@link #askOneMore()} (the speculative retry) adds one. So a read
 * that asks R replicas still reaches R answers whenever R of the N are reachable.
 *
 * <p>A sloppy read's order may hold fallbacks: nodes outside the replicas, asked with HINT_READ
 * for the hints they hold for the unreachable replicas. Their answers count toward R and join
 * the result, but are kept apart from the replicas' ({@link #answers()}): read repair compares
 * and writes replicas only.
 *
 * <p>Answers keep arriving after R were counted; read repair looks at all of them once
 * {@link #settled()} completes: after {@link #close()}, when every replica asked has answered or
 * failed (each request has the read's deadline, so at the latest then).
 */
final class ReadFanout {
    private final byte[] key;
    private final byte[] request;
    private final List<String> order;
    private final String localNodeId;
    private final GuardedStore localStore;
    private final Executor diskReads;
    private final Peers peers;
    private final Deadline deadline;
    private final QuorumWaiter waiter;
    private final Map<String, Siblings> answers = new ConcurrentHashMap<>();
    private final Map<String, Siblings> fallbackAnswers = new ConcurrentHashMap<>();
    private final FallbackReads fallbacks;
    private final CompletableFuture<Void> settled = new CompletableFuture<>();
    /** Guarded by this. */
    private int asked;
    /** Requests not yet answered, plus one until {@link #close()}. Guarded by this. */
    private int unsettled = 1;
    /** Guarded by this. */
    private boolean closed;
    private volatile StoreFailureException localFailure;

    /** Which nodes of the order are fallbacks, what to ask them, and how this node reads its own hints. */
    record FallbackReads(Set<String> nodes, byte[] request, Supplier<Siblings> localHints) {
        static final FallbackReads NONE = new FallbackReads(Set.of(), null, null);
    }

    private ReadFanout(byte[] key, List<String> order, String localNodeId, GuardedStore localStore, Executor diskReads,
                       Peers peers, Deadline deadline, QuorumWaiter waiter, FallbackReads fallbacks) {
        this.fallbacks = fallbacks;
        this.key = key;
        this.request = ReplicaMessages.readRequest(key);
        this.order = order;
        this.localNodeId = localNodeId;
        this.localStore = localStore;
        this.diskReads = diskReads;
        this.peers = peers;
        this.deadline = deadline;
        this.waiter = waiter;
    }

    /**
     * Asks the first {@code initial} replicas of {@code order}; returns once the requests are
     * sent, without blocking: a local read that needs the disk runs on {@code diskReads}.
     * {@code waiter} must expect {@code order.size()} answers: the replicas not asked yet stand in
     * for the answers of those that will replace failures.
     */
    static ReadFanout start(byte[] key, List<String> order, int initial, String localNodeId, GuardedStore localStore,
                            Executor diskReads, Peers peers, Deadline deadline, QuorumWaiter waiter,
                            FallbackReads fallbacks) {
        ReadFanout fanout = new ReadFanout(key, order, localNodeId, localStore, diskReads, peers, deadline, waiter,
                fallbacks);
        for (int i = 0; i < initial; i++) {
            fanout.askNext();
        }
        return fanout;
    }

    /** The speculative retry: asks the next replica not asked yet, if any. */
    void askOneMore() {
        askNext();
    }

    /** No replica is asked after this; {@link #settled()} completes once those asked have answered. */
    void close() {
        synchronized (this) {
            closed = true;
        }
        settleOne();
    }

    private void askNext() {
        String target;
        synchronized (this) {
            if (closed || asked == order.size()) {
                return;
            }
            target = order.get(asked++);
            unsettled++;
        }
        boolean fallback = fallbacks.nodes().contains(target);
        if (target.equals(localNodeId)) {
            if (fallback) {
                Futures.blocking(fallbacks.localHints(), diskReads).whenComplete((siblings, failure) -> {
                    record(target, siblings, failure);
                    settleOne();
                });
            } else {
                readLocal();
            }
            return;
        }
        CompletableFuture<Siblings> answer = fallback
                ? peers.request(target, MessageTypes.HINT_READ, fallbacks.request(), deadline).thenApply(ReplicaMessages::decodeReadReply)
                : peers.request(target, MessageTypes.REPLICA_READ, request, deadline).thenApply(ReplicaMessages::decodeReadReply);
        answer
                .handle((siblings, failure) -> {
                    record(target, siblings, failure);
                    settleOne();
                    return null;
                });
    }

    /** From memory at once when it holds the answer (the usual case), else from disk on the executor. */
    private void readLocal() {
        Siblings inMemory;
        try {
            inMemory = localStore.readIfInMemory(key);
        } catch (KvException e) {
            recordLocal(null, e);
            return;
        }
        if (inMemory != null) {
            recordLocal(inMemory, null);
            return;
        }
        Futures.blocking(() -> localStore.read(key), diskReads)
                .whenComplete((siblings, failure) -> recordLocal(siblings, failure == null ? null : KvService.unwrap(failure)));
    }

    private void recordLocal(Siblings siblings, Throwable failure) {
        if (failure instanceof StoreFailureException storeFailure) {
            localFailure = storeFailure;
        }
        record(localNodeId, siblings, failure);
        settleOne();
    }

    private void record(String target, Siblings siblings, Throwable failure) {
        if (failure == null) {
            (fallbacks.nodes().contains(target) ? fallbackAnswers : answers).put(target, siblings);
            waiter.succeeded(target);
        } else if (KvService.unwrap(failure) instanceof InvalidRequestException invalid) {
            waiter.reject(invalid);
        } else {
            waiter.failed(target);
            askNext();
        }
    }

    private void settleOne() {
        boolean done;
        synchronized (this) {
            done = --unsettled == 0;
        }
        if (done) {
            settled.complete(null);
        }
    }

    /** The replicas' answers so far, by node id (read repair's input). */
    Map<String, Siblings> answers() {
        return Map.copyOf(answers);
    }

    /** Every answer so far, replicas' and fallbacks': the read's result merges them all. */
    List<Siblings> allAnswers() {
        List<Siblings> all = new ArrayList<>(answers.values());
        all.addAll(fallbackAnswers.values());
        return all;
    }

    /** Completes (never exceptionally) after {@link #close()}, once every replica asked has answered or failed. */
    CompletableFuture<Void> settled() {
        return settled;
    }

    /** Why the local replica could not answer, or null. */
    StoreFailureException localFailure() {
        return localFailure;
    }
}
