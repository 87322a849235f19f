package io.ringkv.cluster.membership;

/**
 * Whether one node, in one node's view, is believed reachable. Derived locally from heartbeats
 * and gossiped suspicions; never gossiped itself (docs/decisions/failure-detector.md).
 */
public enum Liveness {
    /** Its heartbeat is advancing (or too few sources agree that it is not). */
    UP,
    /** This node has not seen its heartbeat advance for suspectAfterMillis; nobody agrees yet. */
    SUSPECT,
    /**
     * At least two distinct nodes (possibly including this one) suspect the latest heartbeat this
     * node knows of; or it announced LEFT.
     */
    DOWN
}
