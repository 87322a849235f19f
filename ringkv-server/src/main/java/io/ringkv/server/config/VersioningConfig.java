package io.ringkv.server.config;

/**
 * How concurrent versions are tracked and reconciled.
 *
 * @param maxVectorClockEntries a vector clock keeps at most this many entries (the oldest are
 *                              truncated, Dynamo §4.4)
 * @param maxSiblings           at most this many concurrent versions are kept for one key
 * @param conflictPolicy        {@code siblings} (keep concurrent versions for the client to merge)
 *                              or {@code lww} (last writer wins by timestamp)
 */
public record VersioningConfig(int maxVectorClockEntries, int maxSiblings, String conflictPolicy) {
}
