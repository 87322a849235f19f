package io.ringkv.cluster.membership;

import java.util.Objects;

/**
 * A summary of one node's state: enough to tell who has the newer copy without sending it.
 * Generation 0 means "I know nothing of this node; send me everything".
 */
public record Digest(NodeId id, long generation, long heartbeat, long metadataVersion) {
    public Digest {
        Objects.requireNonNull(id, "id");
        if (generation < 0 || heartbeat < 0 || metadataVersion < 0) {
            throw new IllegalArgumentException("digest numbers must not be negative: " + generation
                    + "/" + heartbeat + "/" + metadataVersion);
        }
    }

    /** The request for a node we know nothing of. */
    public static Digest unknown(NodeId id) {
        return new Digest(id, 0, 0, 0);
    }

    /** Compares to a state of the same node on (generation, heartbeat, metadataVersion). */
    int compareTo(NodeState state) {
        int c = Long.compare(generation, state.generation());
        if (c == 0) {
            c = Long.compare(heartbeat, state.heartbeat());
        }
        if (c == 0) {
            c = Long.compare(metadataVersion, state.metadataVersion());
        }
        return c;
    }
}
