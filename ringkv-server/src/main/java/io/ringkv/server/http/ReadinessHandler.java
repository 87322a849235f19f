package io.ringkv.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /health/ready}: whether this node should receive client traffic, for load balancers
 * and Kubernetes' readiness probe (docs/kubernetes.md). {@code /health} says the process serves
 * (liveness); readiness asks more: the node is NORMAL in its own view. A JOINING node is alive
 * but still streaming the ranges it will replicate, and a StatefulSet with OrderedReady pod
 * management must not start the next pod (a second join) before this one's join is done; a
 * LEAVING node is handing its ranges over and is about to stop, so clients should move off it.
 *
 * <p>200 {"status": "ready", "node": id, "announced": "NORMAL"}; otherwise 503 with
 * "status": "not_ready" and the reason: the announced status (JOINING, LEAVING, LEFT, or
 * "not_a_member" or "no_tokens" before the node has joined a ring), "stopping" or "refused" as {@code /health} says.
 */
final class ReadinessHandler {
    private ReadinessHandler() {
    }

    static Handler ready(String nodeId, BooleanSupplier serving, Supplier<ClusterStatus> clusterStatus,
                         Supplier<Optional<ClusterStatus.IdConflict>> idConflict) {
        return Handler.answering(request -> {
            String reason = reasonNotReady(nodeId, serving, clusterStatus, idConflict);
            var body = JsonBodies.MAPPER.createObjectNode().put("status", reason == null ? "ready" : "not_ready")
                    .put("node", nodeId);
            if (reason == null) {
                body.put("announced", "NORMAL");
                return ErrorMapping.json(HttpResponseStatus.OK, body);
            }
            body.put("reason", reason);
            return ErrorMapping.json(HttpResponseStatus.SERVICE_UNAVAILABLE, body);
        });
    }

    /** Null when ready, else why not, in one word. */
    static String reasonNotReady(String nodeId, BooleanSupplier serving, Supplier<ClusterStatus> clusterStatus,
                                 Supplier<Optional<ClusterStatus.IdConflict>> idConflict) {
        if (!serving.getAsBoolean()) {
            return "stopping";
        }
        if (idConflict.get().map(ClusterStatus.IdConflict::thisNodeRefused).orElse(false)) {
            return "refused";
        }
        if (clusterStatus == null) {
            return null; // a node without membership (tests' bare HTTP server): serving is all there is
        }
        ClusterStatus.Member self = clusterStatus.get().members().stream().filter(m -> m.id().equals(nodeId)).findFirst()
                .orElse(null);
        if (self == null) {
            return "not_a_member";
        }
        if (!self.status().equals("NORMAL")) {
            return self.status();
        }
        return self.tokens() > 0 ? null : "no_tokens";
    }
}
