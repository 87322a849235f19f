package io.ringkv.cluster.handoff;

import io.ringkv.core.version.Siblings;

/**
 * The versions of one key that this node holds for {@code target}, a replica of the key that
 * missed them. One hint per (target, key): a later hint for the same pair is merged into it, so
 * the whole set travels together, as every transfer between replicas must
 * (docs/design/versioning.md, "A requirement on the cluster coordinator").
 *
 * @param target         the node the versions are meant for
 * @param key            the key
 * @param siblings       the merged versions to hand over
 * @param hintedAtMillis wall-clock time of the newest hint merged in: the window runs from it
 * @param storedBytes    the stored record's size; delivery removes the hint only if it is still that record
 */
public record Hint(String target, byte[] key, Siblings siblings, long hintedAtMillis, byte[] storedBytes) {
}
