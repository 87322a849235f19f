package io.ringkv.cluster.streaming;

/**
 * Where a node's range streaming stands: a join receiving its ranges, or a decommission handing
 * its ranges over.
 *
 * @param kind            "join" or "decommission"
 * @param state           WAITING (for the ring change to spread), STREAMING, DONE (joined: NORMAL; decommissioned: LEFT), FAILED
 * @param rangesTotal     range transfers planned (a range and the node it comes from or goes to)
 * @param rangesDone      transfers streamed and verified
 * @param keys            keys sent or received
 * @param bytes           bytes of keys and sibling sets sent or received
 * @param bytesPerSecond  the rate so far
 * @param etaMillis       at that rate, time left for the ranges not done (rough: ranges differ in size); -1 unknown
 * @param startedAtMillis wall-clock start
 * @param elapsedMillis   time taken so far
 * @param unverified      ranges whose digest still differed from the other side's after every pass (writes in
 *                        flight while comparing); anti-entropy finishes them
 * @param error           why it failed or is retrying, or null
 */
public record StreamProgress(String kind, State state, int rangesTotal, int rangesDone, long keys, long bytes,
                             long bytesPerSecond, long etaMillis, long startedAtMillis, long elapsedMillis, int unverified,
                             String error) {

    /** The life of a stream. */
    public enum State { WAITING, STREAMING, DONE, FAILED }
}
