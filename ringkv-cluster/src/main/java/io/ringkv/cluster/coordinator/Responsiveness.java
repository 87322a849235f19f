package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.KvService;
import io.ringkv.cluster.time.Scheduler;
import io.ringkv.cluster.transport.TransportTimeoutException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * This node's own, immediate view of which peers answer: a peer whose last request timed out
 * is <i>silent</i> until it answers again, or for {@link #SILENT_FOR_MILLIS} at most. Gossip needs
 * several seconds and two witnesses to call a node DOWN (docs/decisions/failure-detector.md);
 * a partition cuts a link at once. Meanwhile the coordinator treats a silent peer like a down one
 * where a wrong guess costs little: it forwards writes past it, hints for it at once, and asks
 * it last on reads. It still sends it every replica write, so an answer clears it.
 */
final class Responsiveness {
    /** After this long a silent peer is tried again in full, even without having answered. */
    static final long SILENT_FOR_MILLIS = 5_000;

    private final Scheduler time;
    private final Map<String, Long> silentSinceNanos = new ConcurrentHashMap<>();

    Responsiveness(Scheduler time) {
        this.time = time;
    }

    /** Whether {@code nodeId}'s last request timed out, recently, and nothing answered since. */
    boolean isSilent(String nodeId) {
        Long since = silentSinceNanos.get(nodeId);
        if (since == null) {
            return false;
        }
        if (time.nowNanos() - since > TimeUnit.MILLISECONDS.toNanos(SILENT_FOR_MILLIS)) {
            silentSinceNanos.remove(nodeId, since);
            return false;
        }
        return true;
    }

    /** Records the outcome of a request the transport sent to {@code nodeId}. */
    void record(String nodeId, Throwable failure) {
        if (failure == null) {
            silentSinceNanos.remove(nodeId);
        } else if (KvService.unwrap(failure) instanceof TransportTimeoutException) {
            silentSinceNanos.putIfAbsent(nodeId, time.nowNanos());
        }
    }
}
