package io.ringkv.client;

/**
 * Per-request write settings (puts and deletes).
 *
 * @param w replicas that must acknowledge before the write returns (1..N); 0 means the cluster's default
 */
public record WriteOptions(int w) {
    /** The cluster's configured write quorum. */
    public static final WriteOptions DEFAULT = new WriteOptions(0);

    public WriteOptions {
        if (w < 0) {
            throw new IllegalArgumentException("w must be at least 1 (or 0 for the cluster default), was " + w);
        }
    }

    /** Write with quorum {@code w}. */
    public static WriteOptions w(int w) {
        if (w < 1) {
            throw new IllegalArgumentException("w must be at least 1, was " + w);
        }
        return new WriteOptions(w);
    }
}
