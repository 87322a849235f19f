package io.ringkv.client;

/**
 * Per-request read settings.
 *
 * @param r replicas that must answer before the read returns (1..N); 0 means the cluster's default
 */
public record ReadOptions(int r) {
    /** The cluster's configured read quorum. */
    public static final ReadOptions DEFAULT = new ReadOptions(0);

    public ReadOptions {
        if (r < 0) {
            throw new IllegalArgumentException("r must be at least 1 (or 0 for the cluster default), was " + r);
        }
    }

    /** Read with quorum {@code r}. */
    public static ReadOptions r(int r) {
        if (r < 1) {
            throw new IllegalArgumentException("r must be at least 1, was " + r);
        }
        return new ReadOptions(r);
    }
}
