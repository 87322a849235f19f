package io.ringkv.cluster.coordinator;

/**
 * The coordinator's inter-node message types (range 0x52xx, 'R'; gossip uses 0x47xx). Layouts
 * are in docs/design/coordinator.md, "Messages".
 */
public final class MessageTypes {
    /** Read a key's versions from a replica's store. */
    public static final int REPLICA_READ = 0x5201;
    /** Merge versions into a replica's store (replication after a write, read repair). */
    public static final int REPLICA_WRITE = 0x5202;
    /** A put or delete forwarded by a node outside the key's replicas, to be coordinated by the receiver. */
    public static final int COORDINATE_WRITE = 0x5203;

    private MessageTypes() {
    }
}
