package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.handoff.HandoffConfig;
import io.ringkv.cluster.handoff.Hint;
import io.ringkv.cluster.handoff.HintStore;
import io.ringkv.cluster.time.Scheduler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the hints this node holds over to their targets (Dynamo §4.6: "once the node detects
 * that the original replica has recovered, it will attempt to deliver the replica"). Every
 * {@code deliveryInterval} it looks, in memory, for targets that gossip shows up and that have
 * hints; for each it reads a batch from the {@link HintStore} and sends every hint, one at a
 * time, as a REPLICA_WRITE of the whole merged set, which the target answers once the versions
 * are durable there. Only then is the hint removed, and only if no newer hint was merged into it
 * meanwhile ({@link HintStore#removeDelivered}). A failed send ends that target's turn; the next
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
    private final Predicate<String> isUp;
    private final Peers peers;
    private final HandoffConfig config;
    private final Clock clock;
    private final Scheduler timer;
    private final Executor blockingWork;
    private volatile boolean closed;
    private volatile Scheduler.Scheduled next;
    private long lastSweepMillis;

    private HintDelivery(HintStore store, Predicate<String> isUp, Peers peers, HandoffConfig config, Clock clock,
                         Scheduler timer, Executor blockingWork) {
        this.store = store;
        this.isUp = isUp;
        this.peers = peers;
        this.config = config;
        this.clock = clock;
        this.timer = timer;
        this.blockingWork = blockingWork;
        this.lastSweepMillis = timer.nowMillis();
    }

    static HintDelivery start(HintStore store, Predicate<String> isUp, Peers peers, HandoffConfig config, Clock clock,
                              Scheduler timer, Executor blockingWork) {
        HintDelivery delivery = new HintDelivery(store, isUp, peers, config, clock, timer, blockingWork);
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

    /** One round: the targets that are up and have hints, one after another; then the next round. */
    private void round() {
        if (closed) {
            return;
        }
        boolean sweep = timer.nowMillis() - lastSweepMillis >= Math.min(EXPIRY_SWEEP_MILLIS, config.windowMillis());
        List<String> targets = new ArrayList<>();
        for (String target : store.stats().keySet()) {
            if (store.hasHintsFor(target) && (sweep || isUp.test(target))) {
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

    /** Sends {@code batch} from {@code i} on; completes with whether the whole batch was handled. */
    private CompletableFuture<Boolean> deliver(String target, List<Hint> batch, int i) {
        if (closed || i == batch.size()) {
            return CompletableFuture.completedFuture(i == batch.size());
        }
        Hint hint = batch.get(i);
        if (clock.millis() - hint.hintedAtMillis() > config.windowMillis()) {
            return Futures.blocking(() -> store.removeExpired(hint), blockingWork) // counted by the store
                    .thenCompose(removed -> deliver(target, batch, i + 1));
        }
        if (!isUp.test(target)) {
            return CompletableFuture.completedFuture(false); // an expiry sweep of a down target, or it went down
        }
        byte[] request = ReplicaMessages.writeRequest(hint.key(), hint.siblings());
        return peers.request(target, MessageTypes.REPLICA_WRITE, request, Deadline.afterMillis(timer, SEND_TIMEOUT_MILLIS))
                .thenApply(reply -> {
                    ReplicaMessages.decodeWriteReply(reply);
                    return true;
                })
                .thenCompose(acknowledged -> Futures.blocking(() -> store.removeDelivered(hint), blockingWork)) // counted by the store
                .thenCompose(removed -> afterThrottle(request.length).thenCompose(ignored -> deliver(target, batch, i + 1)))
                .exceptionally(failure -> {
                    LOG.debug("handing a hint over to {} failed, retrying next round: {}", target, failure.toString());
                    return false;
                });
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
