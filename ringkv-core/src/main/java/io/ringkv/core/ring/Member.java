package io.ringkv.core.ring;

/**
 * A physical node as the ring sees it.
 *
 * @param nodeId     unique, stable id
 * @param dataCenter failure domain for per-data-center replication
 * @param rack       failure domain within the data center; replicas go to distinct racks first
 * @param weight     relative capacity; a node of weight 2 owns twice the share of a node of weight 1
 */
public record Member(String nodeId, String dataCenter, String rack, double weight) {
    public static final String DEFAULT_DATA_CENTER = "dc1";
    public static final String DEFAULT_RACK = "rack1";

    public Member {
        requireName(nodeId, "node id");
        requireName(dataCenter, "data center of node " + nodeId);
        requireName(rack, "rack of node " + nodeId);
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight of node " + nodeId + " must be a positive number, got " + weight);
        }
    }

    /** A node of weight 1 in the default data center and rack. */
    public static Member of(String nodeId) {
        return new Member(nodeId, DEFAULT_DATA_CENTER, DEFAULT_RACK, 1.0);
    }

    private static void requireName(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        if (s.length() > 255) {
            throw new IllegalArgumentException(what + " must be at most 255 characters");
        }
    }
}
