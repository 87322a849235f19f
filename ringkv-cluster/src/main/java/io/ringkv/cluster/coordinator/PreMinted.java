package io.ringkv.cluster.coordinator;

import io.ringkv.core.version.Dot;

/**
 * The event a forwarded write becomes, chosen by the node that forwards it (docs/design/coordinator.md,
 * "Forwarding"): its dot, from the forwarder's forwarding actor, and its timestamp. Every replica
 * that coordinates the forwarded request builds the same version from it, so a forward retried
 * on another replica after a lost answer is applied twice as one version, not as two siblings.
 */
record PreMinted(Dot dot, long timestampMillis) {
}
