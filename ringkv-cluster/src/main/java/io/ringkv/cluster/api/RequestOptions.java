package io.ringkv.cluster.api;

import java.util.Objects;

/**
 * Per-request tuning.
 *
 * @param readQuorum    R, or 0 for the configured default; a number means {@link Consistency#COUNT}
 * @param writeQuorum   W, or 0 for the configured default; a number means {@link Consistency#COUNT}
 * @param timeoutMillis deadline for the whole request, or 0 for the configured default
 * @param quorumMode    whether fallback nodes' hints may count toward R and W
 * @param consistency   which replicas count: {@link Consistency#LOCAL_QUORUM} and
 *                      {@link Consistency#EACH_QUORUM} replace R and W, which must then be 0
 */
public record RequestOptions(int readQuorum, int writeQuorum, long timeoutMillis, QuorumMode quorumMode,
                             Consistency consistency) {
    public static final RequestOptions DEFAULTS = new RequestOptions(0, 0, 0, QuorumMode.DEFAULT, Consistency.DEFAULT);

    public RequestOptions {
        Objects.requireNonNull(quorumMode, "quorumMode");
        Objects.requireNonNull(consistency, "consistency");
    }

    /** With the node's default quorum mode and consistency. */
    public RequestOptions(int readQuorum, int writeQuorum, long timeoutMillis) {
        this(readQuorum, writeQuorum, timeoutMillis, QuorumMode.DEFAULT);
    }

    /** With the node's default consistency. */
    public RequestOptions(int readQuorum, int writeQuorum, long timeoutMillis, QuorumMode quorumMode) {
        this(readQuorum, writeQuorum, timeoutMillis, quorumMode, Consistency.DEFAULT);
    }

    /** The node's defaults but {@code consistency}. */
    public static RequestOptions of(Consistency consistency) {
        return new RequestOptions(0, 0, 0, QuorumMode.DEFAULT, consistency);
    }
}
