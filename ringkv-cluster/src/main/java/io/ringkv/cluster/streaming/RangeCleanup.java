package io.ringkv.cluster.streaming;

import io.ringkv.cluster.node.MembershipClusterView;
import io.ringkv.cluster.replica.ReplicaStore;
import io.ringkv.cluster.time.Scheduler;
import io.ringkv.core.ring.ReplicationStrategy;
import io.ringkv.core.ring.Ring;
import io.ringkv.core.ring.Token;
import io.ringkv.storage.KeyValue;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.WriteBatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops this node's copy of the ranges it no longer replicates, once a membership change that
 * took them away is over (Cassandra's {@code nodetool cleanup}, here automatic).
 *
 * <p>Why: when a node joins, the nodes it takes ranges from keep their old copies. Nothing reads
 * them, but they are stale from then on: deletes of those keys go to the new replicas only, and
 * their tombstones are purged there in time. Should the range later come back (the joiner is
 * decommissioned), the old copy would be merged with what is handed over and the deleted values
 * would return, then spread to the other replicas by anti-entropy. So a copy a node no longer
 * replicates is dropped as soon as the ring is settled.
 *
 * <p>When: {@code delayMillis} after this node's view shows a ring it has not cleaned for, with no
 * change in progress (the future ring equals the current one) and a ring it has heard from a
 * peer. The drop is local (engine deletes, never sent anywhere), in token order, a batch of keys
 * at a time; before each batch the rings are checked again, and a change that started meanwhile
 * stops the run (it is retried for the next settled ring): a node that became a pending replica
 * may lose a write or two of a range it is about to stream, which its streaming brings back. A key this node gains back later is streamed to it
 * like any other.
 */
public final class RangeCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(RangeCleanup.class);
    /** Keys dropped per engine write (one commit-log record group, one ring check). */
    private static final int BATCH_KEYS = 512;

    private final MembershipClusterView view;
    private final ReplicaStore store;
    private final ReplicationStrategy strategy;
    private final Scheduler scheduler;
    private final Executor executor;
    private final long delayMillis;
    private final String self;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong keysDropped = new AtomicLong();
    private volatile Ring cleanedFor;
    /** The ring a cleanup is scheduled for, so the checks in between do not schedule it again. */
    private volatile Ring scheduledFor;
    private volatile boolean closed;

    public RangeCleanup(MembershipClusterView view, ReplicaStore store, ReplicationStrategy strategy, Scheduler scheduler,
                        Executor executor, long delayMillis) {
        this.view = view;
        this.store = store;
        this.strategy = strategy;
        this.scheduler = scheduler;
        this.executor = executor;
        this.delayMillis = delayMillis;
        this.self = view.localNodeId();
    }

    /**
     * Called every few seconds: schedules a cleanup if the ring is settled and differs from the
     * last one cleaned for. The first settled ring after a start is cleaned for too (one scan of
     * the store): a crash may have stopped an earlier cleanup halfway.
     */
    public void check() {
        if (closed || !view.knowsRing()) {
            return;
        }
        Ring ring = view.ring();
        if (ring.equals(cleanedFor) || ring.equals(scheduledFor) || !ring.equals(view.futureRing()) || ring.size() == 0) {
            return;
        }
        scheduledFor = ring;
        try {
            scheduler.schedule(delayMillis, () -> startIfStillSettled(ring));
        } catch (RejectedExecutionException e) {
            // the node is closing
        }
    }

    /** Keys dropped since start. */
    public long keysDropped() {
        return keysDropped.get();
    }

    private void startIfStillSettled(Ring ring) {
        scheduledFor = null; // from here on a later check may schedule again (this one may stop early)
        if (closed || !settledOn(ring) || ring.equals(cleanedFor) || !running.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    if (cleanNow(ring)) {
                        cleanedFor = ring;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("node {}: cleanup of ranges it no longer replicates failed; the next ring change retries: {}",
                            self, e.toString());
                } finally {
                    running.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            running.set(false);
        }
    }

    private boolean settledOn(Ring ring) {
        return view.knowsRing() && view.ring().equals(ring) && view.futureRing().equals(ring);
    }

    /** Drops every key whose range this node does not replicate in {@code ring}; false if the ring changed meanwhile. */
    boolean cleanNow(Ring ring) {
        boolean[] replicated = new boolean[ring.tokenCount()];
        boolean losesAny = false;
        for (int i = 0; i < replicated.length; i++) {
            replicated[i] = ring.preferenceList(ring.token(i), strategy).replicas().contains(self);
            losesAny |= !replicated[i];
        }
        if (!losesAny) {
            return true;
        }
        StorageEngine engine = store.engine();
        long dropped = 0;
        WriteBatch batch = new WriteBatch();
        byte[] wholeRing = new byte[Token.BYTES]; // from == to: the scan covers the whole ring
        try (StorageEngine.RangeIterator it = engine.scan(wholeRing, wholeRing)) {
            while (it.hasNext()) {
                KeyValue kv = it.next();
                if (!replicated[ring.vnodeIndexFor(Token.fromBytes(kv.token()))]) {
                    batch.delete(kv.key());
                }
                if (batch.size() == BATCH_KEYS || (!it.hasNext() && !batch.isEmpty())) {
                    if (closed || !settledOn(ring)) {
                        LOG.info("node {}: cleanup stopped after {} keys: the ring changed", self, dropped);
                        keysDropped.addAndGet(dropped);
                        return false;
                    }
                    engine.write(batch);
                    dropped += batch.size();
                    batch = new WriteBatch();
                }
            }
        }
        keysDropped.addAndGet(dropped);
        if (dropped > 0) {
            LOG.info("node {}: dropped {} keys of ranges it no longer replicates (cleanup after a ring change)", self,
                    dropped);
        }
        return true;
    }

    public void close() {
        closed = true;
    }
}
