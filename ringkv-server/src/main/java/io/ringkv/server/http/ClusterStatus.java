package io.ringkv.server.http;

import java.util.List;

/**
 * What {@code GET /api/v1/cluster} reports: one node's view of the cluster (docs/http-api.md).
 * Plain values, so the HTTP layer needs nothing of the membership classes.
 *
 * @param self       the answering node's id
 * @param members    every member this node knows, sorted by id
 * @param idConflict another process claims the answering node's id; null if none was found
 * @param hints      the hints the answering node holds for others; null when it keeps none
 */
public record ClusterStatus(String self, List<Member> members, int n, int r, int w, IdConflict idConflict,
                            Hints hints, String consistency, java.util.Map<String, Integer> perDataCenter) {
    public ClusterStatus {
        members = List.copyOf(members);
        perDataCenter = java.util.Map.copyOf(perDataCenter);
    }

    /** A single data center's: the default consistency counts r and w. */
    public ClusterStatus(String self, List<Member> members, int n, int r, int w, IdConflict idConflict, Hints hints) {
        this(self, members, n, r, w, idConflict, hints, "count", java.util.Map.of());
    }

    /** Without hints (a node that keeps none). */
    public ClusterStatus(String self, List<Member> members, int n, int r, int w, IdConflict idConflict) {
        this(self, members, n, r, w, idConflict, (Hints) null);
    }

    /** Hints the answering node holds for other nodes (docs/design/hinted-handoff.md): all together, and pending per target. */
    public record Hints(long pending, long bytes, java.util.Map<String, Long> pendingByTarget) {
        public Hints {
            pendingByTarget = java.util.Map.copyOf(pendingByTarget);
        }
    }

    /**
     * Two processes claim one node id (most likely a copied data directory); the one that started
     * first keeps it, the other refuses to serve (docs/design/gossip.md, "One id, two processes").
     *
     * @param nodeId          the contested id: the answering node's
     * @param thisNodeRefused true if the answering process is the one that gave way and serves nothing
     * @param keptPeer        inter-node address of the process that keeps the id
     * @param refusedPeer     inter-node address of the process that refuses
     * @param message         what happened and what to do
     */
    public record IdConflict(String nodeId, boolean thisNodeRefused, String keptPeer, String keptHttp,
                             String refusedPeer, String refusedHttp, String message) {
    }

    /**
     * @param status             what the node announces: JOINING, NORMAL, LEAVING or LEFT
     * @param liveness           what the answering node believes: UP, SUSPECT or DOWN
     * @param heartbeatAgeMillis since its heartbeat last advanced at the answering node (0 for itself)
     * @param tokens             how many ring tokens it holds
     * @param ringShare          the fraction of the ring it owns as primary (0 when it is not in the ring)
     */
    public record Member(String id, String status, String liveness, long generation, long heartbeat,
                         long heartbeatAgeMillis, String peer, String http, String dataCenter, String rack,
                         double weight, int tokens, double ringShare) {
    }
}
