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

    /** Store versions as a hint for a replica that is down or silent (sloppy quorum, Dynamo §4.6). */
    public static final int HINTED_WRITE = 0x5204;
    /** Read the hints a fallback holds for a key (a sloppy read that found too few replicas). */
    public static final int HINT_READ = 0x5205;

    private MessageTypes() {
    }
}
