package io.ringkv.cluster.antientropy;

import io.ringkv.cluster.admin.RepairProgress;

/**
 * What anti-entropy reports as it works, for metrics (the server binds Micrometer meters to it;
 * this package has no metrics dependency, as the engine's {@code EngineListener}). Called on
 * anti-entropy's own threads; implementations must be thread-safe and cheap.
 */
public interface AntiEntropyListener {
    AntiEntropyListener NONE = new AntiEntropyListener() {
    };

    /** A range was compared with one other replica (and repaired where it differed). */
    default void rangeCompared(boolean differing) {
    }

    /** A range could not be compared with one other replica: {@code reason} is "peer down", "ring differs" or "failed". */
    default void rangeSkipped(String reason) {
    }

    /** Keys taken from ({@code pulled}) and sent to ({@code pushed}) another replica. */
    default void keysExchanged(long pulled, long pushed) {
    }

    /** Bytes of anti-entropy messages this node sent and received as the comparing side. */
    default void bytesExchanged(long bytes) {
    }

    /** Tree leaves rehashed from the store. */
    default void leavesRehashed(int leaves) {
    }

    /** A repair run finished (DONE or FAILED). */
    default void runFinished(RepairProgress progress) {
    }
}
