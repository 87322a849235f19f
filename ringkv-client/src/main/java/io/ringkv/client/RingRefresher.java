package io.ringkv.client;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Keeps a partition-aware client's {@link RingView} current. One daemon thread asks one node
 * (healthy ones first, the configured nodes as a last resort) every {@code intervalNanos} for
 * {@code GET /api/v1/cluster}: small, and it carries each member's liveness, which the client
 * uses to prefer healthy nodes. The ring itself ({@code GET /api/v1/ring}, about 43 bytes of
 * JSON per vnode) is asked for only when it may have changed: when the members' statuses or token
 * counts differ from the last answer (a join, leave, replacement or removal changes them), after
 * a request failed at a node, and at least every {@code maxRingAgeNanos}. The request carries the
 * version held as {@code If-None-Match}, so a node with the same ring answers {@code 304} with no
 * body and the view is kept; a new view replaces the old only if the ring's version differs.
 *
 * <p>A failed request asks for a refresh at once ({@link #refreshSoon()}), coalesced and at most
 * one per {@link #MIN_SPACING_NANOS}, so an outage does not turn every failed request into two
 * more requests.
 */
final class RingRefresher implements AutoCloseable {
    static final long MIN_SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Failover failover;
    private final NodePool pool;
    private final List<URI> bootstrap;
    private final long intervalNanos;
    private final long maxRingAgeNanos;
    private final long answerTimeoutNanos;
    private final LongSupplier clock = System::nanoTime;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean refreshPending = new AtomicBoolean();
    private volatile RingView view;
    private volatile boolean ringSuspect;
    private long ringFetchedAtNanos;
    private long lastRefreshNanos;
    private int nextStart;

    RingRefresher(Failover failover, NodePool pool, List<URI> bootstrap, long intervalNanos, long maxRingAgeNanos,
                  long answerTimeoutNanos) {
        this.failover = failover;
        this.pool = pool;
        this.bootstrap = List.copyOf(bootstrap);
        this.intervalNanos = intervalNanos;
        this.maxRingAgeNanos = maxRingAgeNanos;
        this.answerTimeoutNanos = answerTimeoutNanos;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ringkv-client-ring");
            t.setDaemon(true);
            return t;
        });
    }

    /** Learns the ring once now (without throwing if no node answers), then keeps it current. */
    void start() {
        refresh();
        scheduler.scheduleWithFixedDelay(this::refresh, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }

    /** The current view, or null while no node has told us the ring. */
    RingView view() {
        return view;
    }

    /** Asks a node for the ring now, as after a failed request, and waits for the answer. */
    void refreshRingNow() {
        ringSuspect = true;
        refresh();
    }

    /** A request failed at a node: the ring or the node's health may have changed. */
    void refreshSoon() {
        ringSuspect = true;
        if (refreshPending.compareAndSet(false, true)) {
            long wait;
            synchronized (this) {
                wait = Math.max(0, lastRefreshNanos + MIN_SPACING_NANOS - clock.getAsLong());
            }
            try {
                scheduler.schedule(this::refresh, wait, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                refreshPending.set(false);
            }
        }
    }

    /** One refresh: the first node that answers both questions wins. Never throws. */
    synchronized void refresh() {
        refreshPending.set(false);
        lastRefreshNanos = clock.getAsLong();
        List<URI> candidates = candidates();
        for (int i = 0; i < candidates.size(); i++) {
            URI uri = candidates.get((nextStart + i) % candidates.size());
            try {
                if (refreshFrom(uri)) {
                    nextStart = (nextStart + i + 1) % Math.max(1, candidates.size()); // spread the polling
                    return;
                }
            } catch (IOException | RuntimeException e) {
                // this node cannot tell us: ask the next
            }
        }
    }

    private boolean refreshFrom(URI uri) throws IOException {
        RawResponse cluster = failover.get(uri, "/api/v1/cluster", answerTimeoutNanos);
        if (cluster.status() != 200) {
            return false;
        }
        ClusterAnswers.Members members = ClusterAnswers.members(cluster.body());
        RingView current = view;
        long now = clock.getAsLong();
        boolean ringMayHaveChanged = current == null || ringSuspect
                || !members.fingerprint().equals(current.membershipFingerprint())
                || now - ringFetchedAtNanos > maxRingAgeNanos;
        RingView next;
        if (ringMayHaveChanged) {
            // The version we hold as an entity tag: a node with the same ring answers 304 and no body.
            HttpConnection.Header ifNoneMatch = current == null ? null
                    : new HttpConnection.Header("If-None-Match", '"' + current.version() + '"');
            RawResponse ringAnswer = failover.get(uri, "/api/v1/ring", ifNoneMatch, answerTimeoutNanos);
            if (ringAnswer.status() == 304 && current != null) {
                next = current.withMembers(members.uris(), members.down(), members.replicas(), members.fingerprint());
            } else if (ringAnswer.status() != 200) {
                return false;
            } else {
                ClusterAnswers.Ring ring = ClusterAnswers.ring(ringAnswer.body());
                if (ring.isEmpty()) {
                    return false; // this node does not know the ring yet (just restarted)
                }
                next = current != null && current.version().equals(ring.version())
                        ? current.withMembers(members.uris(), members.down(), members.replicas(), members.fingerprint())
                        : new RingView(ring.version(), ring.tokens(), ring.owners(), ring.replicas(), ring.nodeIds(),
                                members.uris(), members.down(), members.replicas(), members.fingerprint());
            }
            ringFetchedAtNanos = now;
            ringSuspect = false;
        } else {
            next = current.withMembers(members.uris(), members.down(), members.replicas(), members.fingerprint());
        }
        view = next;
        pool.retainOnly(next.nodes());
        return true;
    }

    /** The nodes of the current view not in back-off, then those in back-off, then the configured ones. */
    private List<URI> candidates() {
        RingView current = view;
        Set<URI> all = new LinkedHashSet<>(current == null ? List.of() : current.nodes());
        all.addAll(bootstrap);
        List<URI> healthy = new ArrayList<>(all.size());
        List<URI> backedOff = new ArrayList<>();
        for (URI uri : all) {
            (failover.isInBackoff(uri) ? backedOff : healthy).add(uri);
        }
        healthy.addAll(backedOff);
        return healthy;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
