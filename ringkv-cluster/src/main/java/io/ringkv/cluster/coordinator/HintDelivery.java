package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.handoff.HandoffConfig;
import io.ringkv.cluster.handoff.Hint;
import io.ringkv.cluster.handoff.HintStore;
import io.ringkv.cluster.service.GuardedStore;
import io.ringkv.cluster.time.Scheduler;
import io.ringkv.core.ring.ReplicationStrategy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the hints this node holds over to their targets (Dynamo §4.6: "once the node detects
 * that the original replica has recovered, it will attempt to deliver the replica"). Every
 * {@code deliveryInterval} it looks, in memory, for targets that gossip shows up and that have
 * hints; for each it reads a batch from the {@link HintStore} and sends every hint, one at a
 * time, as a REPLICA_WRITE of the whole merged set, which the target answers once the versions
 * are durable there. Only then is the hint removed, and only if no newer hint was merged into it
 * meanwhile ({@link HintStore#removeDelivered}). When the ring has moved and the target no longer
 * replicates the key, the key's current replicas get the hint instead. A failed send ends that target's turn; the next
 * round tries again. The throttle spaces sends so one target gets at most
 * {@code deliveryBytesPerSecond}. Hints older than the window are dropped, counted, for targets
 * up or down: what they carried is anti-entropy's to repair (docs/design/hinted-handoff.md).
 *
 * <p>Rounds never overlap. Everything is asynchronous on the coordinator's scheduler and
 * blocking executor, so a simulation runs it in virtual time.
 */
final class HintDelivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HintDelivery.class);
    /** Hints read per target per round. */
    static final int BATCH = 256;
    /** Each handed-over hint's deadline. */
    static final long SEND_TIMEOUT_MILLIS = 10_000;
    /** How often hints for targets that stay down are checked for expiry. */
    static final long EXPIRY_SWEEP_MILLIS = 60_000;

    private final HintStore store;
    private final ClusterView view;
    private final ReplicationStrategy strategy;
    private final String localNodeId;
    private final GuardedStore localStore;
    private final Peers peers;
    private final HandoffConfig config;
    private final Clock clock;
    private final Scheduler timer;
    private final Executor blockingWork;
    private volatile boolean closed;
    private volatile Scheduler.Scheduled next;
    private long lastSweepMillis;

    private HintDelivery(HintStore store, ClusterView view, ReplicationStrategy strategy, GuardedStore localStore,
                         Peers peers, HandoffConfig config, Clock clock, Scheduler timer, Executor blockingWork) {
        this.store = store;
        this.view = view;
        this.strategy = strategy;
        this.localNodeId = view.localNodeId();
        this.localStore = localStore;
        this.peers = peers;
        this.config = config;
        this.clock = clock;
        this.timer = timer;
        this.blockingWork = blockingWork;
        this.lastSweepMillis = timer.nowMillis();
    }

    static HintDelivery start(HintStore store, ClusterView view, ReplicationStrategy strategy, GuardedStore localStore,
                              Peers peers, HandoffConfig config, Clock clock, Scheduler timer, Executor blockingWork) {
        HintDelivery delivery = new HintDelivery(store, view, strategy, localStore, peers, config, clock, timer, blockingWork);
        delivery.scheduleRound(config.deliveryIntervalMillis());
        return delivery;
    }

    private void scheduleRound(long delayMillis) {
        if (closed) {
            return;
        }
        try {
            next = timer.schedule(delayMillis, this::round);
        } catch (RejectedExecutionException closing) {
            // the node is closing
        }
    }

    /**
     * One round: the targets that have hints and are up (or have left the ring, their hints going
     * to the keys' current replicas), one after another; then the next round.
     */
    private void round() {
        if (closed) {
            return;
        }
        boolean sweep = timer.nowMillis() - lastSweepMillis >= Math.min(EXPIRY_SWEEP_MILLIS, config.windowMillis());
        List<String> targets = new ArrayList<>();
        for (String target : store.stats().keySet()) {
            if (store.hasHintsFor(target) && (sweep || view.isUp(target) || !view.ring().contains(target))) {
                targets.add(target);
            }
        }
        if (sweep) {
            lastSweepMillis = timer.nowMillis();
        }
        if (targets.isEmpty()) {
            scheduleRound(config.deliveryIntervalMillis());
            return;
        }
        deliverAll(targets, 0, false);
    }

    private void deliverAll(List<String> targets, int i, boolean more) {
        if (closed) {
            return;
        }
        if (i == targets.size()) {
            // a full batch means more may wait: go on at once rather than after a whole interval
            scheduleRound(more ? 1 : config.deliveryIntervalMillis());
            return;
        }
        String target = targets.get(i);
        Futures.blocking(() -> store.pendingFor(target, BATCH), blockingWork)
                .thenCompose(batch -> deliver(target, batch, 0).thenApply(all -> all && batch.size() == BATCH))
                .whenComplete((full, failure) -> {
                    if (failure != null) {
                        LOG.warn("handing hints over to {} failed: {}", target, failure.toString());
                    }
                    deliverAll(targets, i + 1, more || Boolean.TRUE.equals(full));
                });
    }

    /**
     * Hands over {@code batch} from {@code i} on; completes with whether every hint of it was
     * handled (delivered or expired). A hint whose target is down waits, and the next is tried.
     */
    private CompletableFuture<Boolean> deliver(String target, List<Hint> batch, int i) {
        if (closed || i == batch.size()) {
            return CompletableFuture.completedFuture(!closed);
        }
        Hint hint = batch.get(i);
        if (clock.millis() - hint.hintedAtMillis() > config.windowMillis()) {
            return Futures.blocking(() -> store.removeExpired(hint), blockingWork) // counted by the store
                    .thenCompose(removed -> deliver(target, batch, i + 1));
        }
        List<String> recipients = recipients(target, hint);
        if (recipients.isEmpty()) {
            return deliver(target, batch, i + 1).thenApply(rest -> false);
        }
        byte[] request = ReplicaMessages.writeRequest(hint.key(), hint.siblings());
        CompletableFuture<?>[] sends = recipients.stream().map(r -> send(r, request, hint)).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(sends)
                .thenCompose(acknowledged -> Futures.blocking(() -> store.removeDelivered(hint), blockingWork)) // counted by the store
                .thenCompose(removed -> afterThrottle((long) request.length * recipients.size()))
                .thenCompose(ignored -> deliver(target, batch, i + 1))
                .exceptionally(failure -> {
                    LOG.debug("handing a hint for {} over to {} failed, retrying next round: {}", target, recipients,
                            failure.toString());
                    return false;
                });
    }

    /**
     * Who gets a hint now: its target, if it still replicates the key and is up; if the ring has
     * moved so that it no longer does (it left, or rejoined with other tokens), the key's current
     * replicas that are up, so that the versions reach the nodes that now hold the key rather
     * than one that will never serve it. Empty: wait.
     */
    private List<String> recipients(String target, Hint hint) {
        List<String> replicas = view.ring().preferenceList(hint.key(), strategy).replicas();
        if (replicas.contains(target)) {
            return view.isUp(target) ? List.of(target) : List.of();
        }
        return replicas.stream().filter(r -> r.equals(localNodeId) || view.isUp(r)).toList();
    }

    /** One REPLICA_WRITE, answered once durable at the recipient; to this node itself, straight into its store. */
    private CompletableFuture<Void> send(String recipient, byte[] request, Hint hint) {
        if (recipient.equals(localNodeId)) {
            return Futures.blocking(() -> {
                localStore.applyAll(hint.key(), hint.siblings());
                return null;
            }, blockingWork);
        }
        return peers.request(recipient, MessageTypes.REPLICA_WRITE, request, Deadline.afterMillis(timer, SEND_TIMEOUT_MILLIS))
                .thenAccept(ReplicaMessages::decodeWriteReply);
    }

    /** Completes once {@code bytes} may be followed by more under the throttle; on the executor, so stacks stay flat. */
    private CompletableFuture<Void> afterThrottle(long bytes) {
        long pauseMillis = bytes * 1000 / config.deliveryBytesPerSecond();
        CompletableFuture<Void> go = new CompletableFuture<>();
        try {
            if (pauseMillis <= 0) {
                blockingWork.execute(() -> go.complete(null));
            } else {
                timer.schedule(pauseMillis, () -> go.complete(null));
            }
        } catch (RejectedExecutionException closing) {
            go.completeExceptionally(closing);
        }
        return go;
    }

    @Override
    public void close() {
        closed = true;
        Scheduler.Scheduled scheduled = next;
        if (scheduled != null) {
            scheduled.cancel();
        }
    }
}
