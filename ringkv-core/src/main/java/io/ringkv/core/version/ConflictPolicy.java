package io.ringkv.core.version;

/** What a node does with concurrent versions of one key. */
public enum ConflictPolicy {
    /** Keep every concurrent version and return them all (Dynamo §4.4: the client reconciles). */
    SIBLINGS,
    /**
     * Keep only the version with the highest wall-clock timestamp (last write wins). Concurrent
     * updates are silently lost; clock skew decides. Simpler for clients that cannot merge.
     */
    LWW
}
