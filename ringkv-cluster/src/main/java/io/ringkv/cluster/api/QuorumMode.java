package io.ringkv.cluster.api;

/**
 * Who may count toward a request's R or W (Dynamo §4.6; docs/design/hinted-handoff.md).
 */
public enum QuorumMode {
    /** The node's configured default ({@code replication.sloppyQuorum}). */
    DEFAULT,
    /**
     * Sloppy: a fallback node that stores a hint for a replica that is down or silent counts toward
     * W, and a fallback's hints count toward R when fewer than R replicas answer. Always writable.
     */
    SLOPPY,
    /** Strict: only the key's own N replicas count (hints are still sent, but not counted). */
    STRICT
}
