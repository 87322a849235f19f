package io.ringkv.cluster.api;

import java.util.Optional;

/**
 * Fewer than the required replicas answered before the deadline. Under a quorum counted per data
 * center ({@link Consistency#LOCAL_QUORUM}, {@link Consistency#EACH_QUORUM}) the counts are those
 * of the data center that fell short, which {@link #dataCenter()} names.
 */
public final class QuorumNotMetException extends KvException {
    private final String operation;
    private final int required;
    private final int acknowledged;
    private final String dataCenter;

    public QuorumNotMetException(String operation, int required, int acknowledged) {
        this(operation, required, acknowledged, null);
    }

    /** {@code dataCenter}: the data center whose majority was not reached, or null for a count of any replicas. */
    public QuorumNotMetException(String operation, int required, int acknowledged, String dataCenter) {
        super(operation + " quorum not met: " + acknowledged + " of " + required + " required replicas"
                + (dataCenter == null ? "" : " in data center " + dataCenter) + " acknowledged", null);
        this.operation = operation;
        this.required = required;
        this.acknowledged = acknowledged;
        this.dataCenter = dataCenter;
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

    /** The data center that fell short of its majority, when the quorum was counted per data center. */
    public Optional<String> dataCenter() {
        return Optional.ofNullable(dataCenter);
    }
}
