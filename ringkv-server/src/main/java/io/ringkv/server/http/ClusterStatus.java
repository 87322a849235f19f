package io.ringkv.server.http;

import java.util.List;

/**
 * What {@code GET /api/v1/cluster} reports: one node's view of the cluster (docs/http-api.md).
 * Plain values, so the HTTP layer needs nothing of the membership classes.
 *
 * @param self    the answering node's id
 * @param members every member this node knows, sorted by id
 */
public record ClusterStatus(String self, List<Member> members, int n, int r, int w) {
    public ClusterStatus {
        members = List.copyOf(members);
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
