package io.ringkv.cluster.node;

import io.ringkv.cluster.membership.IdConflict;
import java.nio.file.Path;

/**
 * The operator's words for an {@link IdConflict}: what happened, which process keeps the id, and
 * what to do. Logged at ERROR once and shown in the node's status. Pure.
 */
final class IdConflictNotice {
    private static final String CAUSE = "Two processes with one node id mean a copied data directory"
            + " (or one node configured twice)";

    private IdConflictNotice() {
    }

    /** @param dataDirectory this process's data directory, named when this process is the one to fix */
    static String describe(IdConflict conflict, Path dataDirectory) {
        String id = conflict.id().value();
        IdConflict.Claimant kept = conflict.kept();
        IdConflict.Claimant refused = conflict.refused();
        if (conflict.selfRefused()) {
            return "node id " + id + " is already in use by the process at " + kept.peerAddress() + " (HTTP "
                    + kept.httpAddress() + "), which started first; this process (" + refused.peerAddress()
                    + ") refuses to serve " + id + " and stops gossiping, so the ring keeps " + id + " at "
                    + kept.peerAddress() + ". " + CAUSE + ": stop this process and start it again with an empty data"
                    + " directory instead of " + dataDirectory + " (node.dataDir) and a node id of its own (node.id).";
        }
        return "node id " + id + " is also claimed by the process at " + refused.peerAddress() + " (HTTP "
                + refused.httpAddress() + "), which started after this one; this process keeps " + id
                + " and that one refuses to serve it. " + CAUSE + ": stop the process at " + refused.peerAddress()
                + " and start it again with an empty data directory and a node id of its own (node.id).";
    }
}
