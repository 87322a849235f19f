package io.ringkv.cluster.api;

/** Fewer than the required replicas answered before the deadline. */
public final class QuorumNotMetException extends KvException {
    private final String operation;
    private final int required;
    private final int acknowledged;

    public QuorumNotMetException(String operation, int required, int acknowledged) {
        super(operation + " quorum not met: " + acknowledged + " of " + required + " required replicas acknowledged", null);
        this.operation = operation;
        this.required = required;
        this.acknowledged = acknowledged;
    }

    /** "get", "put" or "delete". */
    public String operation() {
        return operation;
    }

    public int required() {
        return required;
    }

    public int acknowledged() {
        return acknowledged;
    }
}
