package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.KvService;
import io.ringkv.cluster.time.Scheduler;
import io.ringkv.cluster.transport.NotDeliveredException;
import io.ringkv.cluster.transport.TransportTimeoutException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * This node's own, immediate view of which peers answer. Gossip needs seconds and two witnesses
 * to call a node DOWN (docs/decisions/failure-detector.md); a partition cuts a link at once, and
 * a coordinator that waited for gossip would time out every request meanwhile. So a peer is
 * <i>silent</i> here when a request to it has gone unanswered for {@code silentAfterMillis} with
 * no answer to anything since it was sent, or when its last request timed out (for at most
 * {@link #TIMED_OUT_FOR_MILLIS}, then it is tried again). Any answer, even an error, clears it.
 * The coordinator treats a silent peer as down where a wrong guess costs little: it forwards
 * writes past it, hints for it, and asks it last on reads; it still sends it every replica
 * write, so an answer is noticed.
 */
final class Responsiveness {
    /** After this long a peer whose request timed out is tried again in full, even without having answered. */
    static final long TIMED_OUT_FOR_MILLIS = 5_000;

    /** Per peer: when its oldest request unanswered since its last answer was sent, and its last timeout. */
    private static final class PeerState {
        volatile long unansweredSinceNanos; // 0: none outstanding since the last answer
        volatile long timedOutAtNanos;      // 0: none since the last answer
    }

    private final Scheduler time;
    private final long silentAfterNanos;
    private final Map<String, PeerState> peers = new ConcurrentHashMap<>();

    Responsiveness(Scheduler time, long silentAfterMillis) {
        this.time = time;
        this.silentAfterNanos = TimeUnit.MILLISECONDS.toNanos(silentAfterMillis);
    }

    /** Whether {@code nodeId} looks silent from here (see the class comment). */
    boolean isSilent(String nodeId) {
        PeerState peer = peers.get(nodeId);
        if (peer == null) {
            return false;
        }
        long now = time.nowNanos();
        long unanswered = peer.unansweredSinceNanos;
        long timedOut = peer.timedOutAtNanos;
        return (unanswered != 0 && now - unanswered > silentAfterNanos)
                || (timedOut != 0 && now - timedOut < TimeUnit.MILLISECONDS.toNanos(TIMED_OUT_FOR_MILLIS));
    }

    /** A request to {@code nodeId} is being sent. */
    void sent(String nodeId) {
        PeerState peer = peers.computeIfAbsent(nodeId, id -> new PeerState());
        if (peer.unansweredSinceNanos == 0) {
            peer.unansweredSinceNanos = time.nowNanos(); // a race may keep a slightly later time: harmless
        }
    }

    /** Records the outcome of a request the transport sent to {@code nodeId}. */
    void record(String nodeId, Throwable failure) {
        PeerState peer = peers.get(nodeId);
        if (peer == null) {
            return;
        }
        Throwable cause = failure == null ? null : KvService.unwrap(failure);
        if (cause instanceof TransportTimeoutException) {
            peer.timedOutAtNanos = time.nowNanos();
        } else if (!(cause instanceof NotDeliveredException)) {
            peer.unansweredSinceNanos = 0; // it answered (an error reply is an answer too): it is alive
            peer.timedOutAtNanos = 0;
        }
    }
}
