package io.ringkv.client;

import java.time.Duration;

/**
 * Per-request write settings (puts and deletes).
 *
 * @param w       replicas that must acknowledge before the write returns (1..N); 0 means the cluster's default
 * @param timeout how long one node may take to answer this request; null means the client's {@code timeout}
 */
public record WriteOptions(int w, Duration timeout) {
    /** The cluster's configured write quorum and the client's timeout. */
    public static final WriteOptions DEFAULT = new WriteOptions(0);

    public WriteOptions {
        if (w < 0) {
            throw new IllegalArgumentException("w must be at least 1 (or 0 for the cluster default), was " + w);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    /** Quorum w (0: the cluster default) with the client's timeout. */
    public WriteOptions(int w) {
        this(w, null);
    }

    /** Write with quorum {@code w}. */
    public static WriteOptions w(int w) {
        if (w < 1) {
            throw new IllegalArgumentException("w must be at least 1, was " + w);
        }
        return new WriteOptions(w);
    }

    /** The cluster's default quorum, waiting at most {@code timeout} for a node's answer. */
    public static WriteOptions timeout(Duration timeout) {
        return new WriteOptions(0, timeout);
    }

    /** These options with another timeout. */
    public WriteOptions withTimeout(Duration timeout) {
        return new WriteOptions(w, timeout);
    }

    long timeoutNanos(long clientDefaultNanos) {
        return timeout == null ? clientDefaultNanos : timeout.toNanos();
    }
}
