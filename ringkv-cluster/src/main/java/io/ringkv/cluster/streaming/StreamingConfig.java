package io.ringkv.cluster.streaming;

/**
 * Settings of range streaming (docs/configuration.md, "streaming").
 *
 * @param throttleBytesPerSecond bytes of data per second a node streams (sends or receives); 0 unlimited
 * @param pageBytes              data per message
 * @param settleMillis           how long a node waits after announcing JOINING or LEAVING before it
 *                               streams, so that every coordinator has heard and sends writes to the
 *                               pending replicas too
 * @param requestTimeoutMillis   each message's deadline
 * @param verifyPasses           how many times a range is streamed at most until its digest matches the other side's
 * @param parallelism            range transfers in flight at once (the throttle is shared by all)
 */
public record StreamingConfig(long throttleBytesPerSecond, int pageBytes, long settleMillis, long requestTimeoutMillis,
                              int verifyPasses, int parallelism) {
    public StreamingConfig {
        if (throttleBytesPerSecond < 0 || pageBytes < 1 || settleMillis < 0 || requestTimeoutMillis < 1 || verifyPasses < 1
                || parallelism < 1) {
            throw new IllegalArgumentException("invalid streaming settings: " + throttleBytesPerSecond + " B/s, page "
                    + pageBytes + " B, settle " + settleMillis + " ms, timeout " + requestTimeoutMillis + " ms, "
                    + verifyPasses + " passes, " + parallelism + " in parallel");
        }
    }

    /** 16 MiB/s, 256 KiB pages, settle for three gossip intervals, 30 s per message, 3 passes, 4 transfers at once. */
    public static StreamingConfig defaults(long gossipIntervalMillis) {
        return new StreamingConfig(16L << 20, 256 << 10, 3 * gossipIntervalMillis, 30_000, 3, 4);
    }
}
