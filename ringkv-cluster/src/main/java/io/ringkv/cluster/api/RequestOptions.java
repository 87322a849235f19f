package io.ringkv.cluster.api;

/**
 * Per-request tuning.
 *
 * @param readQuorum  R, or 0 for the configured default
 * @param writeQuorum W, or 0 for the configured default
 * @param timeoutMillis deadline for the whole request, or 0 for the configured default
 */
public record RequestOptions(int readQuorum, int writeQuorum, long timeoutMillis) {
    public static final RequestOptions DEFAULTS = new RequestOptions(0, 0, 0);
}
