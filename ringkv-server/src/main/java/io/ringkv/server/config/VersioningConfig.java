package io.ringkv.server.config;

import io.ringkv.core.version.ConflictPolicy;

/**
 * How concurrent versions are tracked and reconciled.
 *
 * @param maxVectorClockEntries a vector clock keeps at most this many entries (the oldest are
 *                              truncated, Dynamo §4.4)
 * @param maxSiblings           at most this many concurrent versions are kept for one key
 * @param conflictPolicy        keep concurrent versions for the client to merge (config: {@code siblings})
 *                              or last writer wins by timestamp ({@code lww})
 */
public record VersioningConfig(int maxVectorClockEntries, int maxSiblings, ConflictPolicy conflictPolicy) {
}
