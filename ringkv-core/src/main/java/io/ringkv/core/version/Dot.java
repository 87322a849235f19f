package io.ringkv.core.version;

/**
 * The single event that created a version: the coordinating node and the counter it issued.
 * Every node issues each counter value at most once (see {@link DotCounter}), so a dot names a
 * write uniquely across the cluster.
 */
public record Dot(String nodeId, long counter) {
    public Dot {
        NodeIds.require(nodeId);
        if (counter < 1) {
            throw new IllegalArgumentException("dot counter for node " + nodeId + " must be at least 1, got " + counter);
        }
    }

    @Override
    public String toString() {
        return "(" + nodeId + "," + counter + ")";
    }
}
