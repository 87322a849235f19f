package io.ringkv.cluster.handoff;

/**
 * Settings of the sloppy quorum and hinted handoff (docs/design/hinted-handoff.md,
 * docs/configuration.md "replication" and "handoff").
 *
 * @param sloppyQuorum           whether hints acknowledged by fallback nodes count toward W (and fallbacks'
 *                               answers toward R, with {@code readFallbacks}); a request may ask for a strict quorum
 * @param readFallbacks          whether a read that cannot get R answers from the key's replicas asks fallbacks
 *                               for the hints they hold
 * @param hintAfterMillis        a replica that has not answered a write this long gets a hint on a fallback as
 *                               well (one believed down gets it at once)
 * @param windowMillis           a hint not delivered within this long is dropped (anti-entropy repairs what it
 *                               carried); must be shorter than the tombstone grace period
 * @param maxBytes               the hints a node holds for all targets together; beyond it new hints are refused
 * @param deliveryBytesPerSecond how fast hints are handed over to one target (the throttle)
 * @param deliveryIntervalMillis how often the node looks for targets that are up and have hints waiting
 */
public record HandoffConfig(boolean sloppyQuorum, boolean readFallbacks, long hintAfterMillis, long windowMillis,
                            long maxBytes, long deliveryBytesPerSecond, long deliveryIntervalMillis) {
    public static final long DEFAULT_HINT_AFTER_MILLIS = 250;
    public static final long DEFAULT_WINDOW_MILLIS = 3 * 3_600_000L;
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    public static final long DEFAULT_DELIVERY_BYTES_PER_SECOND = 4L << 20;
    public static final long DEFAULT_DELIVERY_INTERVAL_MILLIS = 1_000;

    /** Sloppy quorum on for writes and reads, hints after 250 ms, kept 3 h, 1 GiB at most, handed over at 4 MiB/s. */
    public static final HandoffConfig DEFAULTS = new HandoffConfig(true, true, DEFAULT_HINT_AFTER_MILLIS,
            DEFAULT_WINDOW_MILLIS, DEFAULT_MAX_BYTES, DEFAULT_DELIVERY_BYTES_PER_SECOND, DEFAULT_DELIVERY_INTERVAL_MILLIS);

    /** No fallback counts: W and R are met by the key's own replicas only (hints are still sent for down replicas). */
    public static final HandoffConfig STRICT = DEFAULTS.withSloppyQuorum(false);

    public HandoffConfig {
        require(hintAfterMillis >= 1, "hintAfter must be at least 1 ms, got " + hintAfterMillis);
        require(windowMillis >= 1, "the hint window must be at least 1 ms, got " + windowMillis);
        require(maxBytes >= 0, "maxBytes must not be negative, got " + maxBytes);
        require(deliveryBytesPerSecond >= 1, "the delivery throttle must be at least 1 byte/s, got " + deliveryBytesPerSecond);
        require(deliveryIntervalMillis >= 1, "the delivery interval must be at least 1 ms, got " + deliveryIntervalMillis);
    }

    public HandoffConfig withSloppyQuorum(boolean sloppy) {
        return new HandoffConfig(sloppy, sloppy && readFallbacks, hintAfterMillis, windowMillis, maxBytes,
                deliveryBytesPerSecond, deliveryIntervalMillis);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
