package io.ringkv.cluster.handoff;

/** A new hint would take the hint store past {@link HandoffConfig#maxBytes()}: refused, nothing stored. */
public final class HintStoreFullException extends RuntimeException {
    public HintStoreFullException(String message) {
        super(message);
    }
}
