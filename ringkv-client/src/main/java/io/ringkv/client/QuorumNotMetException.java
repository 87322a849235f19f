package io.ringkv.client;

import java.net.URI;

/**
 * Fewer replicas than the request's quorum (R or W) answered in time: 503
 * {@code quorum_not_met}. For a write, the replicas that did acknowledge keep the value, so it
 * may still become visible (Dynamo §4.5: a failed write is not a rolled-back write); retry with
 * the same context.
 */
public final class QuorumNotMetException extends RingkvServerException {
    private static final long serialVersionUID = 1L;

    private final int required;
    private final int acknowledged;

    public QuorumNotMetException(int required, int acknowledged, String message, URI node) {
        super(503, "quorum_not_met", message, node);
        this.required = required;
        this.acknowledged = acknowledged;
    }

    /** Replicas the request needed (its R or W). */
    public int required() {
        return required;
    }

    /** Replicas that answered in time. */
    public int acknowledged() {
        return acknowledged;
    }
}
