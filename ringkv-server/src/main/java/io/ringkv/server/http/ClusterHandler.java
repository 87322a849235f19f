package io.ringkv.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** {@code GET /api/v1/cluster}: this node's view of the membership, the ring shares and N, R, W. */
final class ClusterHandler implements Handler {
    private final Supplier<ClusterStatus> source;

    ClusterHandler(Supplier<ClusterStatus> source) {
        this.source = source;
    }

    @Override
    public CompletableFuture<Reply> handle(ApiRequest request) {
        if (!request.query().isEmpty()) {
            throw ApiException.badRequest("invalid_parameter", "/api/v1/cluster takes no query parameters, got \""
                    + request.query().keySet().iterator().next() + "\"");
        }
        return CompletableFuture.completedFuture(ErrorMapping.json(HttpResponseStatus.OK, toJson(source.get())));
    }

    static ObjectNode toJson(ClusterStatus status) {
        ObjectNode root = JsonBodies.MAPPER.createObjectNode().put("self", status.self());
        ArrayNode members = root.putArray("members");
        for (ClusterStatus.Member m : status.members()) {
            members.addObject()
                    .put("id", m.id())
                    .put("status", m.status())
                    .put("liveness", m.liveness())
                    .put("generation", m.generation())
                    .put("heartbeat", m.heartbeat())
                    .put("heartbeatAgeMillis", m.heartbeatAgeMillis())
                    .put("peer", m.peer())
                    .put("http", m.http())
                    .put("dataCenter", m.dataCenter())
                    .put("rack", m.rack())
                    .put("weight", m.weight())
                    .put("tokens", m.tokens())
                    .put("ringShare", m.ringShare());
        }
        ObjectNode replication = root.putObject("replication").put("n", status.n()).put("r", status.r()).put("w", status.w())
                .put("consistency", status.consistency());
        if (!status.perDataCenter().isEmpty()) {
            ObjectNode perDataCenter = replication.putObject("perDataCenter");
            new java.util.TreeMap<>(status.perDataCenter()).forEach(perDataCenter::put);
        }
        if (status.idConflict() != null) {
            putIdConflict(root, status.idConflict());
        }
        if (status.hints() != null) {
            ObjectNode hints = root.putObject("hints").put("pending", status.hints().pending()).put("bytes", status.hints().bytes());
            ObjectNode byTarget = hints.putObject("pendingByTarget");
            new java.util.TreeMap<>(status.hints().pendingByTarget()).forEach(byTarget::put);
        }
        return root;
    }

    /** {@code "idConflict": {...}}, the same in this answer and in {@code /health}. */
    static void putIdConflict(ObjectNode parent, ClusterStatus.IdConflict c) {
        ObjectNode json = parent.putObject("idConflict")
                .put("nodeId", c.nodeId())
                .put("thisNode", c.thisNodeRefused() ? "refused" : "kept");
        json.putObject("kept").put("peer", c.keptPeer()).put("http", c.keptHttp());
        json.putObject("refused").put("peer", c.refusedPeer()).put("http", c.refusedHttp());
        json.put("message", c.message());
    }
}
