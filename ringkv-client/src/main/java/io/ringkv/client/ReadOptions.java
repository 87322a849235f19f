package io.ringkv.client;

import java.time.Duration;

/**
 * Per-request read settings.
 *
 * @param r       replicas that must answer before the read returns (1..N); 0 means the cluster's default
 * @param timeout how long one node may take to answer this request; null means the client's {@code timeout}
 */
public record ReadOptions(int r, Duration timeout) {
    /** The cluster's configured read quorum and the client's timeout. */
    public static final ReadOptions DEFAULT = new ReadOptions(0);

    public ReadOptions {
        if (r < 0) {
            throw new IllegalArgumentException("r must be at least 1 (or 0 for the cluster default), was " + r);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    /** Quorum r (0: the cluster default) with the client's timeout. */
    public ReadOptions(int r) {
        this(r, null);
    }

    /** Read with quorum {@code r}. */
    public static ReadOptions r(int r) {
        if (r < 1) {
            throw new IllegalArgumentException("r must be at least 1, was " + r);
        }
        return new ReadOptions(r);
    }

    /** The cluster's default quorum, waiting at most {@code timeout} for a node's answer. */
    public static ReadOptions timeout(Duration timeout) {
        return new ReadOptions(0, timeout);
    }

    /** These options with another timeout. */
    public ReadOptions withTimeout(Duration timeout) {
        return new ReadOptions(r, timeout);
    }

    long timeoutNanos(long clientDefaultNanos) {
        return timeout == null ? clientDefaultNanos : timeout.toNanos();
    }
}
