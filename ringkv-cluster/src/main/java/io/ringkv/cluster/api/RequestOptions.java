package io.ringkv.cluster.api;

import java.util.Objects;

/**
 * Per-request tuning.
 *
 * @param readQuorum    R, or 0 for the configured default
 * @param writeQuorum   W, or 0 for the configured default
 * @param timeoutMillis deadline for the whole request, or 0 for the configured default
 * @param quorumMode    whether fallback nodes' hints may count toward R and W
 */
public record RequestOptions(int readQuorum, int writeQuorum, long timeoutMillis, QuorumMode quorumMode) {
    public static final RequestOptions DEFAULTS = new RequestOptions(0, 0, 0, QuorumMode.DEFAULT);

    public RequestOptions {
        Objects.requireNonNull(quorumMode, "quorumMode");
    }

    /** With the node's default quorum mode. */
    public RequestOptions(int readQuorum, int writeQuorum, long timeoutMillis) {
        this(readQuorum, writeQuorum, timeoutMillis, QuorumMode.DEFAULT);
    }
}
