package io.ringkv.cluster.antientropy;

/**
 * How anti-entropy runs on one node (docs/configuration.md, {@code antiEntropy:}).
 *
 * @param background             compare every range with its other replicas every {@code intervalMillis}
 *                               (manual repairs and answering peers work either way)
 * @param intervalMillis         pause between the end of one background run and the start of the next
 * @param initialDelayMillis     wait after start before the first background run (gossip settles first)
 * @param throttleBytesPerSecond bytes of tree building, scanning and messages per second, 0 for no limit
 * @param depth                  levels below the root of every range's tree: 2^depth leaves
 * @param requestTimeoutMillis   how long one anti-entropy message may take, the peer's tree refresh included
 * @param purgeMarginMillis      a tombstone is purged only if written this long before its range's
 *                               repair horizon: clock skew between nodes, and versions still travelling
 *                               (hints) when the repair began
 */
public record AntiEntropyConfig(boolean background, long intervalMillis, long initialDelayMillis,
                                long throttleBytesPerSecond, int depth, long requestTimeoutMillis,
                                long purgeMarginMillis) {
    /**
     * 2^10 leaves per range: with 256 vnodes per node and N = 3 a node replicates 768 ranges, so
     * 768 trees of 2 x 1024 hashes (16 KiB each) take 12 MiB; 2^16 leaves (the Dynamo-era
     * figure) would take 768 MiB. At 1M keys per node a leaf holds ~1.3 keys, so a differing
     * leaf costs a handful of key digests to compare.
     */
    public static final int DEFAULT_DEPTH = 10;
    public static final int MAX_DEPTH = 20;
    public static final long DEFAULT_INTERVAL_MILLIS = 10 * 60_000L;
    public static final long DEFAULT_THROTTLE_BYTES_PER_SECOND = 4L << 20;
    /** The hint window (3 h by default) plus an hour for clock skew between nodes. */
    public static final long DEFAULT_PURGE_MARGIN_MILLIS = 4 * 3_600_000L;
    /** Bound on the keys and bytes of sibling sets in one fetch or push message. */
    static final int MAX_KEYS_PER_MESSAGE = 512;
    static final int MAX_SET_BYTES_PER_MESSAGE = 1 << 20;
    /** Bound on the leaves one key-list request asks for. */
    static final int MAX_LEAVES_PER_MESSAGE = 64;

    public AntiEntropyConfig {
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("interval must be at least 1 ms, got " + intervalMillis);
        }
        if (initialDelayMillis < 0) {
            throw new IllegalArgumentException("initial delay must not be negative, got " + initialDelayMillis);
        }
        if (throttleBytesPerSecond < 0) {
            throw new IllegalArgumentException("throttle must not be negative (0 = unlimited), got " + throttleBytesPerSecond);
        }
        if (depth < 1 || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("depth must be between 1 and " + MAX_DEPTH + ", got " + depth);
        }
        if (requestTimeoutMillis < 1) {
            throw new IllegalArgumentException("request timeout must be at least 1 ms, got " + requestTimeoutMillis);
        }
        if (purgeMarginMillis < 0) {
            throw new IllegalArgumentException("purge margin must not be negative, got " + purgeMarginMillis);
        }
    }

    public static AntiEntropyConfig defaults() {
        return new AntiEntropyConfig(true, DEFAULT_INTERVAL_MILLIS, 60_000, DEFAULT_THROTTLE_BYTES_PER_SECOND,
                DEFAULT_DEPTH, 60_000, DEFAULT_PURGE_MARGIN_MILLIS);
    }

    public AntiEntropyConfig withBackground(boolean on) {
        return new AntiEntropyConfig(on, intervalMillis, initialDelayMillis, throttleBytesPerSecond, depth,
                requestTimeoutMillis, purgeMarginMillis);
    }

    public AntiEntropyConfig withThrottle(long bytesPerSecond) {
        return new AntiEntropyConfig(background, intervalMillis, initialDelayMillis, bytesPerSecond, depth,
                requestTimeoutMillis, purgeMarginMillis);
    }

    public AntiEntropyConfig withDepth(int newDepth) {
        return new AntiEntropyConfig(background, intervalMillis, initialDelayMillis, throttleBytesPerSecond, newDepth,
                requestTimeoutMillis, purgeMarginMillis);
    }

    public AntiEntropyConfig withPurgeMargin(long millis) {
        return new AntiEntropyConfig(background, intervalMillis, initialDelayMillis, throttleBytesPerSecond, depth,
                requestTimeoutMillis, millis);
    }

    public AntiEntropyConfig withInterval(long millis, long initialDelay) {
        return new AntiEntropyConfig(background, millis, initialDelay, throttleBytesPerSecond, depth,
                requestTimeoutMillis, purgeMarginMillis);
    }
}
