package io.ringkv.cluster.admin;

/**
 * Asked of a node whose anti-entropy is switched off ({@code antiEntropy.enabled: false}): it
 * keeps no Merkle trees and runs no repairs. Not a bad request, and retrying will not help; the
 * node's configuration must change.
 */
public final class AntiEntropyDisabledException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public AntiEntropyDisabledException(String what) {
        super(what + ": anti-entropy is disabled on this node (antiEntropy.enabled: false)");
    }
}
