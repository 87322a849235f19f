package io.ringkv.cluster.streaming;

import io.ringkv.cluster.antientropy.Throttle;
import io.ringkv.cluster.membership.AnnouncedStatus;
import io.ringkv.cluster.node.ClusterMembership;
import io.ringkv.cluster.node.MembershipClusterView;
import io.ringkv.cluster.replica.ReplicaStore;
import io.ringkv.cluster.time.Scheduler;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import io.ringkv.core.ring.ReplicationStrategy;
import io.ringkv.core.ring.Token;
import io.ringkv.core.ring.TokenRange;
import io.ringkv.core.version.SiblingsCodec;
import io.ringkv.storage.KeyValue;
import io.ringkv.storage.PendingDurability;
import io.ringkv.storage.StorageEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves data when this node's place in the ring changes (docs/design/membership.md):
 * <ul>
 *   <li><b>join</b>: while this node announces JOINING with its tokens, it pulls every range it
 *       will replicate from that range's current replicas (STREAM_FETCH pages, merged into its
 *       store), checks each against the source's digest (RANGE_DIGEST), then announces NORMAL.
 *       Writes to those ranges reach it meanwhile as a pending replica, so nothing written during
 *       the stream is missed;</li>
 *   <li><b>decommission</b>: it announces LEAVING, pushes every range it replicates to each node
 *       that replicates it once this one is gone (STREAM_PUSH), checks digests, announces LEFT and
 *       calls {@code onLeft} (the server stops the process).</li>
 * </ul>
 * Each waits {@code settleMillis} after announcing, so every coordinator sends writes to the
 * pending replicas before the first page moves. Progress is checkpointed per range and page
 * ({@link StreamCheckpoint}): after a crash of this node the change resumes where it was; a
 * failed source or target is retried (the next source first) until it works. Throttled; one run
 * at a time, on its own thread.
 */
public final class Streaming implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Streaming.class);
    private static final long RETRY_MILLIS = 2_000;
    /** Pages between checkpoints of the transfer in progress. */
    private static final int CHECKPOINT_EVERY_PAGES = 8;

    private final ClusterMembership membership;
    private final MembershipClusterView view;
    private final Transport transport;
    private final ReplicaStore store;
    private final ReplicationStrategy strategy;
    private final StreamingConfig config;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Executor executor;
    private final Path dataDirectory;
    private final Runnable onLeft;
    private final String self;
    private final Throttle throttle;
    private volatile StreamRun run;
    private volatile boolean closed;

    /** Registers the streaming handlers on {@code transport}: build it before the transport starts. */
    public Streaming(ClusterMembership membership, Transport transport, ReplicaStore store, ReplicationStrategy strategy,
                     StreamingConfig config, Scheduler scheduler, Clock clock, Executor executor, Path dataDirectory,
                     Runnable onLeft) {
        this.membership = membership;
        this.view = membership.clusterView();
        this.transport = transport;
        this.store = store;
        this.strategy = strategy;
        this.config = config;
        this.scheduler = scheduler;
        this.clock = clock;
        this.executor = executor;
        this.dataDirectory = dataDirectory;
        this.onLeft = onLeft;
        this.self = view.localNodeId();
        this.throttle = new Throttle(scheduler, config.throttleBytesPerSecond());
        new StreamResponder(store, executor).registerOn(transport);
    }

    /**
     * Resumes a decommission this node was in the middle of, and watches for a join to stream:
     * the joiner announces JOINING with its tokens when it claims them (or at start, resuming).
     */
    public void start() {
        if (membership.status() == AnnouncedStatus.LEAVING) {
            startRun("decommission", this::decommissionNow);
        }
        watchForJoin();
    }

    private void watchForJoin() {
        if (closed || run != null) {
            return;
        }
        if (membership.status() == AnnouncedStatus.JOINING && membership.hasJoined() && view.knowsRing()
                && view.ring().size() > 0) {
            startRun("join", this::joinNow);
            return;
        }
        scheduler.schedule(200, this::watchForJoin);
    }

    /**
     * Starts decommissioning this node (idempotent: a decommission in progress reports its
     * progress). Refused while a join streams or when the node owns no tokens.
     */
    public synchronized StreamProgress decommission() {
        StreamRun current = run;
        if (current != null) {
            if (current.progress().kind().equals("decommission")) {
                return current.progress();
            }
            if (!current.isFinished()) {
                throw new IllegalStateException("node " + self + " is still joining; decommission it once it is NORMAL");
            }
        }
        if (membership.status() != AnnouncedStatus.NORMAL) {
            throw new IllegalStateException("node " + self + " is " + membership.status() + ", not NORMAL: nothing to decommission");
        }
        membership.startLeaving();
        return startRun("decommission", this::decommissionNow).progress();
    }

    /** Removes a dead node from the ring ({@link ClusterMembership#removeNode}). */
    public void removeNode(String nodeId) {
        membership.removeNode(nodeId);
    }

    /** The join or decommission of this node since it started, if any. */
    public Optional<StreamProgress> progress() {
        StreamRun current = run;
        return current == null ? Optional.empty() : Optional.of(current.progress());
    }

    private synchronized StreamRun startRun(String kind, Consumer<StreamRun> body) {
        StreamRun started = new StreamRun(kind, clock);
        run = started;
        executor.execute(() -> {
            try {
                body.accept(started);
            } catch (RuntimeException e) {
                LOG.error("node {}: {} failed", self, kind, e);
                started.finished(false, e.toString());
            }
        });
        return started;
    }

    private void joinNow(StreamRun run) {
        pause(config.settleMillis());
        StreamCheckpoint checkpoint = StreamCheckpoint.load(dataDirectory);
        List<RangeTransfer> plan = RangeTransfer.forJoin(self, view.ring(), view.futureRing(), strategy);
        int alreadyDone = (int) plan.stream().filter(t -> checkpoint.isDone(id(t))).count();
        run.planned(plan.size(), alreadyDone);
        LOG.info("node {} joins: {} ranges to receive ({} already done before a restart)", self, plan.size(), alreadyDone);
        transferAll(run, plan, checkpoint, transfer -> receive(run, transfer, checkpoint));
        if (closed) {
            return;
        }
        membership.completeJoin();
        checkpoint.clear();
        run.finished(true, null);
        StreamProgress p = run.progress();
        LOG.info("node {} joined: {} ranges, {} keys, {} bytes in {} ms ({} unverified)", self, p.rangesDone(), p.keys(),
                p.bytes(), p.elapsedMillis(), p.unverified());
    }

    private void decommissionNow(StreamRun run) {
        pause(config.settleMillis());
        StreamCheckpoint checkpoint = StreamCheckpoint.load(dataDirectory);
        List<RangeTransfer> plan = RangeTransfer.forDecommission(self, view.ring(), view.futureRing(), strategy);
        int alreadyDone = (int) plan.stream().filter(t -> checkpoint.isDone(id(t))).count();
        run.planned(plan.size(), alreadyDone);
        LOG.info("node {} decommissions: {} range transfers ({} already done before a restart)", self, plan.size(), alreadyDone);
        transferAll(run, plan, checkpoint, transfer -> send(run, transfer, checkpoint));
        if (closed) {
            return;
        }
        membership.announceLeft();
        checkpoint.clear();
        run.finished(true, null);
        StreamProgress p = run.progress();
        LOG.info("node {} left: {} range transfers, {} keys, {} bytes in {} ms", self, p.rangesDone(), p.keys(), p.bytes(),
                p.elapsedMillis());
        pause(config.settleMillis()); // let gossip carry LEFT before the process goes
        onLeft.run();
    }

    /**
     * Runs {@code step} for every transfer of {@code plan} not done yet, {@code parallelism} at a
     * time, each retried until it succeeds; returns when all are done or this service closes. Why
     * in parallel: a range costs a few round trips and three scans whatever its size, so with
     * hundreds of small ranges one at a time the join was mostly waiting (703 ranges of a
     * near-empty cluster took about 18 s).
     */
    private void transferAll(StreamRun run, List<RangeTransfer> plan, StreamCheckpoint checkpoint,
                             Consumer<RangeTransfer> step) {
        Queue<RangeTransfer> todo = new ConcurrentLinkedQueue<>(plan.stream().filter(t -> !checkpoint.isDone(id(t))).toList());
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int i = 0; i < Math.min(config.parallelism(), todo.size()); i++) {
            workers.add(CompletableFuture.runAsync(() -> {
                for (RangeTransfer t = todo.poll(); t != null && !closed; t = todo.poll()) {
                    RangeTransfer transfer = t;
                    untilDone(run, () -> step.accept(transfer));
                }
            }, executor));
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
    }

    /** Retries {@code step} until it succeeds or this service closes. */
    private void untilDone(StreamRun run, Runnable step) {
        while (!closed) {
            try {
                step.run();
                run.retrying(null);
                return;
            } catch (StreamFailedException | CompletionException e) {
                run.retrying(e.getMessage());
                LOG.warn("node {}: streaming step failed, retrying in {} ms: {}", self, RETRY_MILLIS, e.getMessage());
                pause(RETRY_MILLIS);
            }
        }
    }

    /** Pulls {@code transfer}'s range from the first of its sources that works, verifies it, checkpoints it. */
    private void receive(StreamRun run, RangeTransfer transfer, StreamCheckpoint checkpoint) {
        StreamFailedException last = null;
        for (String source : transfer.peers()) {
            if (!view.isUp(source)) {
                continue;
            }
            try {
                boolean verified = false;
                for (int pass = 0; pass < config.verifyPasses() && !verified; pass++) {
                    Token after = pass == 0 ? checkpoint.resumeAfter(id(transfer)).orElse(transfer.range().fromExclusive())
                            : transfer.range().fromExclusive();
                    pull(run, transfer, source, after, checkpoint);
                    verified = digest(source, transfer.range()).equals(StreamResponder.digestOf(store, transfer.range()));
                }
                checkpoint.done(id(transfer));
                run.rangeDone(verified);
                if (!verified) {
                    LOG.warn("node {}: range {} still differs from {} after {} passes (writes in flight?); anti-entropy"
                            + " finishes it", self, transfer.range(), source, config.verifyPasses());
                }
                return;
            } catch (StreamFailedException | CompletionException e) {
                last = e instanceof StreamFailedException sfe ? sfe : new StreamFailedException(e.getMessage(), e);
                LOG.info("node {}: streaming {} from {} failed, trying another source: {}", self, transfer.range(), source,
                        e.getMessage());
            }
        }
        throw last != null ? last : new StreamFailedException("no source of " + transfer.range() + " is up: "
                + transfer.peers(), null);
    }

    private void pull(StreamRun run, RangeTransfer transfer, String source, Token after, StreamCheckpoint checkpoint) {
        TokenRange range = transfer.range();
        int pages = 0;
        while (!closed) {
            StreamMessages.Page page = StreamMessages.decodePage(ask(source, StreamMessages.STREAM_FETCH,
                    StreamMessages.fetch(range, after, config.pageBytes())));
            long bytes = 0;
            PendingDurability last = PendingDurability.DONE;
            for (StreamMessages.Entry e : page.entries()) {
                if (!range.contains(Token.of(e.key()))) {
                    throw new StreamFailedException(source + " sent a key outside " + range, null);
                }
                last = store.applyAllVisible(e.key(), SiblingsCodec.decode(e.siblings())); // merged, never overwritten
                bytes += e.size();
                after = Token.of(e.key());
            }
            last.awaitDurable(); // before the checkpoint can say the page is here
            run.moved(page.entries().size(), bytes);
            throttle.pace(bytes);
            if (page.done()) {
                return;
            }
            if (++pages % CHECKPOINT_EVERY_PAGES == 0) {
                checkpoint.progress(id(transfer), after);
            }
        }
    }

    /** Pushes this node's copy of {@code transfer}'s range to its one target, verifies it, checkpoints it. */
    private void send(StreamRun run, RangeTransfer transfer, StreamCheckpoint checkpoint) {
        String target = transfer.peers().getFirst();
        if (!view.isUp(target)) {
            throw new StreamFailedException("node " + target + ", which takes over " + transfer.range() + ", is not up", null);
        }
        boolean verified = false;
        for (int pass = 0; pass < config.verifyPasses() && !verified; pass++) {
            push(run, transfer.range(), target);
            verified = digest(target, transfer.range()).equals(StreamResponder.digestOf(store, transfer.range()));
        }
        checkpoint.done(id(transfer));
        run.rangeDone(verified);
        if (!verified) {
            LOG.warn("node {}: range {} still differs at {} after {} passes (writes in flight?); anti-entropy finishes it",
                    self, transfer.range(), target, config.verifyPasses());
        }
    }

    private void push(StreamRun run, TokenRange range, String target) {
        List<StreamMessages.Entry> page = new ArrayList<>();
        long pageBytes = 0;
        try (StorageEngine.RangeIterator it = store.engine().scan(range.fromExclusive().toBytes(), range.toInclusive().toBytes())) {
            while (it.hasNext() && !closed) {
                KeyValue kv = it.next();
                page.add(new StreamMessages.Entry(kv.key(), kv.value()));
                pageBytes += kv.key().length + kv.value().length;
                if (pageBytes >= config.pageBytes()) {
                    sendPage(run, range, target, page, pageBytes);
                    page = new ArrayList<>();
                    pageBytes = 0;
                }
            }
        }
        if (!page.isEmpty()) {
            sendPage(run, range, target, page, pageBytes);
        }
    }

    private void sendPage(StreamRun run, TokenRange range, String target, List<StreamMessages.Entry> page, long bytes) {
        StreamMessages.decodeOkReply(ask(target, StreamMessages.STREAM_PUSH, StreamMessages.push(range, page)));
        run.moved(page.size(), bytes);
        throttle.pace(bytes);
    }

    private StreamMessages.Digest digest(String node, TokenRange range) {
        return StreamMessages.decodeDigestReply(ask(node, StreamMessages.RANGE_DIGEST, StreamMessages.digestRequest(range)));
    }

    private byte[] ask(String node, int type, byte[] payload) {
        PeerAddress address = view.peerAddress(node)
                .orElseThrow(() -> new StreamFailedException("no address known for node " + node, null));
        try {
            return transport.request(address, type, payload, config.requestTimeoutMillis()).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new StreamFailedException("no answer from " + node + ": " + cause.getMessage(), cause);
        } catch (RuntimeException e) {
            throw new StreamFailedException("cannot ask " + node + ": " + e.getMessage(), e);
        }
    }

    private static String id(RangeTransfer transfer) {
        return StreamCheckpoint.id(transfer.range(), transfer.peers().size() == 1 ? transfer.peers().getFirst() : "-");
    }

    /** Waits on the scheduler (a test's clock drives it), never a sleep. */
    private void pause(long millis) {
        if (millis <= 0 || closed) {
            return;
        }
        CompletableFuture<Void> go = new CompletableFuture<>();
        scheduler.schedule(millis, () -> go.complete(null));
        go.join();
    }

    @Override
    public void close() {
        closed = true;
    }
}
