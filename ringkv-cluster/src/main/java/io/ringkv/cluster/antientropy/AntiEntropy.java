package io.ringkv.cluster.antientropy;

import io.ringkv.cluster.admin.RangeRoot;
import io.ringkv.cluster.admin.RepairProgress;
import io.ringkv.cluster.admin.Repairs;
import io.ringkv.cluster.coordinator.ClusterView;
import io.ringkv.cluster.replica.RepairHorizon;
import io.ringkv.cluster.replica.ReplicaStore;
import io.ringkv.cluster.time.Scheduler;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import io.ringkv.core.ring.ReplicationStrategy;
import io.ringkv.core.ring.TokenRange;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merkle-tree anti-entropy (Dynamo §4.7): the permanent-failure layer. Each node keeps a hash
 * tree per token range it replicates ({@link RangeTrees}), kept current as data is written and
 * built from the store at start; replicas of a range compare roots, descend only into the
 * subtrees that differ and exchange only the differing keys' whole sibling sets, merged by the
 * normal version rules ({@link RangeExchange}). In the background every range of this node is
 * compared with each of its other replicas every {@code intervalMillis}, one range at a time and
 * throttled; an operator may run a repair now ({@link #startRepair}). Completed rounds advance
 * the range's {@link RepairHorizon}, which the store's purge policy waits for before dropping a
 * tombstone. The whole mechanism is described in docs/design/anti-entropy.md.
 *
 * <p>The constructor registers the message handlers, the store's write hook and the repair
 * horizon (so construct it before the transport starts); {@link #start} begins building trees and
 * the background schedule. Thread-safe. Blocking work (scans, exchanges) runs on the given
 * executor; all waiting goes through the {@link Scheduler}.
 */
public final class AntiEntropy implements Repairs, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AntiEntropy.class);
    /** Runs kept for {@link #repairs}. */
    public static final int RUNS_KEPT = 20;
    private static final long PROGRESS_LOG_EVERY_MILLIS = 30_000;
    private static final long RING_UNKNOWN_RETRY_MILLIS = 1_000;

    private final ClusterView view;
    private final Transport transport;
    private final ReplicaStore store;
    private final AntiEntropyConfig config;
    private final Scheduler scheduler;
    private final Clock wallClock;
    private final Executor executor;
    private final AntiEntropyListener listener;
    private final RangeTrees trees;
    private final RepairHorizons horizons;
    private final Throttle throttle;
    private final Throttle unthrottled;

    private final Deque<RepairRun> runs = new ArrayDeque<>();
    private RepairRun current;
    private long nextRunId = 1;
    private Scheduler.Scheduled nextBackground;
    private volatile boolean closed;
    private volatile long lastFullRepairAtMillis = Long.MIN_VALUE;

    public AntiEntropy(ClusterView view, Transport transport, ReplicaStore store, ReplicationStrategy strategy,
                       AntiEntropyConfig config, Scheduler scheduler, Clock wallClock, Executor executor,
                       AntiEntropyListener listener) {
        this.view = Objects.requireNonNull(view, "view");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.trees = new RangeTrees(view, Objects.requireNonNull(strategy, "strategy"), config.depth());
        this.horizons = new RepairHorizons(trees, config.purgeMarginMillis());
        this.throttle = new Throttle(scheduler, config.throttleBytesPerSecond());
        this.unthrottled = new Throttle(scheduler, 0);
        store.onKeyWritten(trees::keyWritten);
        store.repairHorizon(horizons);
        new ExchangeResponder(trees, store, throttle, executor, config.depth(), listener).register(transport);
    }

    /** Builds every tree from the store (in the background, throttled) and starts the background schedule. */
    public void start() {
        submit(this::buildTrees);
        if (config.background()) {
            scheduleBackground(config.initialDelayMillis());
        } else {
            log.info("anti-entropy: background repair is off (antiEntropy.background: false); ranges are compared"
                    + " only by manual repairs, and tombstones are purged only after two of them");
        }
    }

    /** The purge rule's horizon, already handed to the store by the constructor. */
    public RepairHorizon horizon() {
        return horizons;
    }

    public AntiEntropyConfig config() {
        return config;
    }

    // ---- repairs (io.ringkv.cluster.admin.NodeAdmin's contract) ----------------------------

    /**
     * Starts a repair of this node's ranges (those overlapping {@code range} when present) and
     * returns its first progress report; while any run (manual or background) is running,
     * returns that one's progress instead.
     */
    public RepairProgress startRepair(Optional<TokenRange> range) {
        Objects.requireNonNull(range, "range");
        RepairRun run;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("anti-entropy is stopped");
            }
            if (current != null) {
                return current.progress(scheduler.nowNanos());
            }
            run = begin("manual", range);
        }
        RepairRun started = run;
        submit(() -> execute(started, range));
        return run.progress(scheduler.nowNanos());
    }

    /** A run started since this node started, by id (the last {@value #RUNS_KEPT} are kept). */
    public synchronized Optional<RepairProgress> repair(long id) {
        long now = scheduler.nowNanos();
        return runs.stream().filter(r -> r.id() == id).findFirst().map(r -> r.progress(now));
    }

    /** The last {@value #RUNS_KEPT} runs, newest first. */
    public synchronized List<RepairProgress> repairs() {
        long now = scheduler.nowNanos();
        return runs.stream().map(r -> r.progress(now)).toList();
    }

    /**
     * Every range this node replicates, in token order, with its root after a refresh of its dirty
     * leaves (on the caller's thread). A tree not built yet is built here. What a convergence check
     * compares across replicas. Not paced by the throttle: an operator's question, answered in one
     * scan per range with dirty leaves, should not wait behind the background schedule's budget.
     */
    @Override
    public List<RangeRoot> ranges() {
        RangeTrees.Snapshot snapshot = trees.current();
        List<RangeRoot> out = new ArrayList<>(snapshot.ranges().size());
        for (ReplicatedRange range : snapshot.ranges()) {
            RangeTree tree = snapshot.tree(range.range()).orElseThrow();
            listener.leavesRehashed(tree.refresh(store.engine(), unthrottled).leavesRehashed());
            out.add(new RangeRoot(range.range(), range.replicas(), tree.root()));
        }
        return out;
    }

    /** Milliseconds since a run last compared every range of this node with every replica, or -1 if none has. */
    public long lastFullRepairAgeMillis() {
        long at = lastFullRepairAtMillis;
        return at == Long.MIN_VALUE ? -1 : Math.max(0, wallClock.millis() - at);
    }

    /** Trees this node keeps now (one per range it replicates; zero until it knows the ring). */
    public int trees() {
        return trees.current().trees().size();
    }

    /** Trees hashed at least once since they were made. */
    public int treesBuilt() {
        return (int) trees.current().trees().values().stream().filter(RangeTree::built).count();
    }

    private RepairRun begin(String trigger, Optional<TokenRange> range) {
        RepairRun run = new RepairRun(nextRunId++, trigger, range.map(TokenRange::toString).orElse("all ranges"),
                wallClock.millis(), scheduler.nowNanos());
        current = run;
        runs.addFirst(run);
        while (runs.size() > RUNS_KEPT) {
            runs.removeLast();
        }
        return run;
    }

    private void execute(RepairRun run, Optional<TokenRange> scope) {
        String failure;
        try {
            failure = new RepairPass(run, scope).run();
        } catch (RuntimeException e) {
            log.error("anti-entropy: repair {} failed", run.id(), e);
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        synchronized (this) {
            run.finish(scheduler.nowNanos(), failure);
            current = null;
        }
        RepairProgress done = run.progress(scheduler.nowNanos());
        listener.runFinished(done);
        boolean quiet = "background".equals(run.trigger()) && done.rangesDiffering() == 0 && failure == null;
        String line = "anti-entropy: {} repair {} {}: {} of {} ranges compared, {} differed, {} keys and {} bytes exchanged in {} ms{}";
        Object[] args = {run.trigger(), run.id(), done.state(), done.rangesDone(), done.rangesTotal(), done.rangesDiffering(),
                done.keysExchanged(), done.bytesExchanged(), done.elapsedMillis(), failure == null ? "" : " (" + failure + ")"};
        if (quiet) {
            log.debug(line, args);
        } else {
            log.info(line, args);
        }
    }

    /** One pass over the ranges of a run: one range at a time, each with every other replica in turn. */
    private final class RepairPass {
        private final RepairRun run;
        private final Optional<TokenRange> scope;
        private final RangeExchange exchange;
        private int peersDown;
        private int ringDiffers;
        private int failed;
        private String lastFailure;

        RepairPass(RepairRun run, Optional<TokenRange> scope) {
            this.run = run;
            this.scope = scope;
            this.exchange = new RangeExchange(transport, store, throttle, config.requestTimeoutMillis());
        }

        /** Null when every range was compared with every replica, else why not. */
        String run() {
            if (!view.knowsRing()) {
                return "this node does not know the cluster's ring yet (it has not heard from a peer since it started)";
            }
            RangeTrees.Snapshot snapshot = trees.current();
            horizons.retainOnly(new HashSet<>(snapshot.ranges()));
            List<ReplicatedRange> ranges = snapshot.ranges().stream()
                    .filter(r -> scope.map(s -> TokenRanges.overlap(s, r.range())).orElse(true))
                    .toList();
            run.total(ranges.size());
            long lastLog = scheduler.nowMillis();
            for (ReplicatedRange range : ranges) {
                if (closed) {
                    return "the node is stopping";
                }
                repairRange(snapshot, range);
                if (scheduler.nowMillis() - lastLog >= PROGRESS_LOG_EVERY_MILLIS) {
                    lastLog = scheduler.nowMillis();
                    RepairProgress p = run.progress(scheduler.nowNanos());
                    log.info("anti-entropy: repair {}: {} of {} ranges, {} differed, {} keys and {} bytes exchanged",
                            p.id(), p.rangesDone(), p.rangesTotal(), p.rangesDiffering(), p.keysExchanged(), p.bytesExchanged());
                }
            }
            if (run.rangesIncomplete() == 0) {
                if (scope.isEmpty()) {
                    lastFullRepairAtMillis = wallClock.millis();
                }
                return null;
            }
            return run.rangesIncomplete() + " of " + ranges.size() + " ranges were not compared with every replica ("
                    + peersDown + " with a replica down, " + ringDiffers + " where a replica's ring differs, " + failed
                    + " failed" + (lastFailure == null ? "" : "; last: " + lastFailure) + "); the next run tries again";
        }

        private void repairRange(RangeTrees.Snapshot snapshot, ReplicatedRange range) {
            long startedAtMillis = wallClock.millis();
            RangeTree tree = snapshot.tree(range.range()).orElseThrow();
            boolean complete = true;
            boolean differing = false;
            for (String peer : range.peers(view.localNodeId())) {
                Optional<PeerAddress> address = view.peerAddress(peer);
                if (!view.isUp(peer) || address.isEmpty()) {
                    complete = false;
                    peersDown++;
                    listener.rangeSkipped("peer down");
                    continue;
                }
                try {
                    listener.leavesRehashed(tree.refresh(store.engine(), throttle).leavesRehashed());
                    RangeExchange.Outcome outcome = exchange.run(tree, address.get());
                    differing |= outcome.differing();
                    run.exchanged(outcome.keysPulled() + outcome.keysPushed(), outcome.bytes());
                    listener.keysExchanged(outcome.keysPulled(), outcome.keysPushed());
                    listener.bytesExchanged(outcome.bytes());
                    listener.rangeCompared(outcome.differing());
                } catch (RangeUnknownException e) {
                    complete = false;
                    ringDiffers++;
                    listener.rangeSkipped("ring differs");
                    log.debug("anti-entropy: range {} skipped with {}: {}", range.range(), peer, e.getMessage());
                } catch (ExchangeFailedException | io.ringkv.storage.StorageException e) {
                    complete = false;
                    failed++;
                    lastFailure = peer + ": " + e.getMessage();
                    listener.rangeSkipped("failed");
                    log.debug("anti-entropy: range {} with {} failed", range.range(), peer, e);
                }
            }
            // A ring change during the round may have given the range other replicas: only a round
            // over the replicas the ring still names counts for the purge horizon.
            boolean stillSame = trees.current().replicated(range.range()).filter(range::equals).isPresent();
            if (complete && stillSame) {
                horizons.roundCompleted(range, startedAtMillis);
            }
            run.rangeDone(differing, complete && stillSame);
        }
    }

    // ---- background work -------------------------------------------------------------------

    private void scheduleBackground(long delayMillis) {
        synchronized (this) {
            if (closed) {
                return;
            }
            nextBackground = scheduler.schedule(delayMillis, () -> submit(this::backgroundRun));
        }
    }

    private void backgroundRun() {
        RepairRun run = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (current == null) {
                run = begin("background", Optional.empty());
            }
        }
        try {
            if (run != null) {
                execute(run, Optional.empty());
            }
        } finally {
            scheduleBackground(config.intervalMillis());
        }
    }

    /** Hashes every tree that has not been hashed yet: the first build after start, or after a ring change. */
    private void buildTrees() {
        if (closed) {
            return;
        }
        if (!view.knowsRing()) {
            scheduler.schedule(RING_UNKNOWN_RETRY_MILLIS, () -> submit(this::buildTrees));
            return;
        }
        List<RangeTree> pending = trees.current().trees().values().stream().filter(t -> !t.built()).toList();
        if (pending.isEmpty()) {
            return;
        }
        long startedAt = scheduler.nowMillis();
        long lastLog = startedAt;
        long bytes = 0;
        int done = 0;
        log.info("anti-entropy: building the Merkle trees of {} ranges from the store", pending.size());
        for (RangeTree tree : pending) {
            if (closed) {
                return;
            }
            RangeTree.Refresh refresh = tree.refresh(store.engine(), throttle);
            listener.leavesRehashed(refresh.leavesRehashed());
            bytes += refresh.bytesScanned();
            done++;
            if (scheduler.nowMillis() - lastLog >= PROGRESS_LOG_EVERY_MILLIS) {
                lastLog = scheduler.nowMillis();
                log.info("anti-entropy: built {} of {} trees ({} bytes scanned)", done, pending.size(), bytes);
            }
        }
        log.info("anti-entropy: built {} trees in {} ms ({} bytes scanned)", done, scheduler.nowMillis() - startedAt, bytes);
    }

    private void submit(Runnable task) {
        if (closed) {
            return;
        }
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("anti-entropy: executor refused a task (stopping)", e);
        }
    }

    /** Stops the schedule; a running pass stops at its next range. Handlers stay registered and refuse nothing. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (nextBackground != null) {
                nextBackground.cancel();
            }
        }
    }

    // ---- for tests ---------------------------------------------------------------------------

    /** The tree of {@code range}, if this node replicates it. */
    Optional<RangeTree> tree(TokenRange range) {
        return trees.current().tree(range);
    }

    RepairHorizons horizons() {
        return horizons;
    }
}
