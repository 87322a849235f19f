package io.ringkv.cluster.coordinator;

/**
 * What the coordinator reports for metrics, so that it needs no metrics library (the server
 * registers Micrometer meters behind it). Called on request and background threads; must be
 * quick and must not throw.
 */
public interface CoordinatorListener {

    /** Does nothing. */
    CoordinatorListener NONE = new CoordinatorListener() {
    };

    /** A request finished (answered or failed) after {@code nanos}; {@code op} is "get", "put" or "delete". */
    default void onRequestCompleted(String op, long nanos, boolean succeeded) {
    }

    /** A request failed because fewer than {@code required} replicas answered in time. */
    default void onQuorumNotMet(String op, int required, int acknowledged) {
    }

    /** This node is not a replica of the key and forwarded the write to {@code targetNodeId}. */
    default void onForwarded(String op, String targetNodeId) {
    }

    /**
     * This node is not a replica of the key, and no replica could be reached to coordinate the
     * write: it coordinated it itself, with hints for the replicas (the sloppy quorum).
     */
    default void onCoordinatedForUnreachableReplicas(String op) {
    }

    /**
     * A write forwarded to this node arrived after the sender's "not after" time and was refused:
     * the sender had given up on this node (it was paused or slow) and may have tried another.
     */
    default void onForwardExpired(String op) {
    }

    /**
     * Read repair compared the answers of {@code replicasCompared} replicas after a get, once all
     * were in or the deadline passed, and found {@code staleReplicas} of them out of date.
     */
    default void onReadRepairChecked(int replicasCompared, int staleReplicas) {
    }

    /** Read repair sent the merged versions to {@code replicaNodeId}, which had answered with stale ones. */
    default void onReadRepairSent(String replicaNodeId) {
    }

    /** A read repair write to {@code replicaNodeId} failed (it will be retried by a later read). */
    default void onReadRepairFailed(String replicaNodeId) {
    }

    /** A peer sent a message this node could not decode; it got an error reply. */
    default void onMalformedMessage(int messageType) {
    }
}
