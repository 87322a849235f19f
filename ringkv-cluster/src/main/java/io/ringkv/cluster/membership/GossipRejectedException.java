package io.ringkv.cluster.membership;

/** A peer's gossip was refused as a whole, e.g. it belongs to another cluster. */
public final class GossipRejectedException extends RuntimeException {
    public GossipRejectedException(String message) {
        super(message);
    }
}
