package io.ringkv.cluster.membership;

/**
 * Which process speaks for a node id: the generation it started with and a random number it drew
 * at start. A node's id and data directory are meant to be one process; a copied data directory
 * makes two, both with the same id and saved tokens. Generations alone cannot tell them apart
 * (each raises its generation past the other's, gossip.md "A peer claims a newer state of us"),
 * so every state carries the instance that wrote it, and {@link IdGuard} compares instances.
 *
 * <p>Order ({@link #compareTo}): by start generation, then by nonce (unsigned). The greater
 * instance started later: when two instances of one id both run, the greater is the newcomer and
 * refuses; every node that sees both decides the same way. The start generation is persisted
 * before gossip starts and rises with every start of a data directory
 * (docs/design/membership-join.md), so a copy started after the original compares greater.
 *
 * @param startGeneration the generation this process started with, {@code >= 1}; 0 only in
 *                        {@link #UNKNOWN}
 * @param nonce           drawn at random at start, so two processes that picked the same start
 *                        generation still differ
 */
public record Instance(long startGeneration, long nonce) implements Comparable<Instance> {

    /**
     * A state that reached us through a node speaking gossip format version 1, which does not
     * carry instances: it takes part in no duplicate-id decision.
     */
    public static final Instance UNKNOWN = new Instance(0, 0);

    public Instance {
        if (startGeneration < 0) {
            throw new IllegalArgumentException("start generation must not be negative, was " + startGeneration);
        }
        if (startGeneration == 0 && nonce != 0) {
            throw new IllegalArgumentException("an unknown instance (start generation 0) has nonce 0, was " + nonce);
        }
    }

    public boolean isKnown() {
        return startGeneration > 0;
    }

    @Override
    public int compareTo(Instance other) {
        int c = Long.compare(startGeneration, other.startGeneration);
        return c != 0 ? c : Long.compareUnsigned(nonce, other.nonce);
    }

    @Override
    public String toString() {
        return isKnown() ? startGeneration + "/" + Long.toHexString(nonce) : "unknown";
    }
}
