package io.ringkv.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.ringkv.cluster.admin.AntiEntropyDisabledException;
import io.ringkv.cluster.admin.NodeAdmin;
import io.ringkv.cluster.admin.RepairProgress;
import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.streaming.StreamProgress;
import io.ringkv.core.ring.Token;
import io.ringkv.core.ring.TokenRange;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The admin endpoints under {@code /api/v1/admin/} (docs/http-api.md, "Admin"): what an operator
 * or a scenario test asks one node about its own share of the cluster, answered from
 * {@link NodeAdmin}. Every one may block (a local disk read, a scan), so all run on virtual
 * threads. The two that touch this node's data ({@code local} and starting a repair) are shut
 * like the store's endpoints while this process refuses its node id, as is a compaction: what it
 * holds is most likely a copy of another node's data. The views (replicas, hints, repair
 * progress, ranges) stay open.
 */
final class AdminHandlers {
    static final String PREFIX = "/api/v1/admin/";

    private final NodeAdmin admin;
    private final RequestRules rules;
    private final String nodeId;
    /** This node's view of the members, for each replica's liveness; null when the server has none. */
    private final Supplier<ClusterStatus> clusterStatus;

    AdminHandlers(NodeAdmin admin, RequestRules rules, String nodeId, Supplier<ClusterStatus> clusterStatus) {
        this.admin = admin;
        this.rules = rules;
        this.nodeId = nodeId;
        this.clusterStatus = clusterStatus;
    }

    /** Adds every admin route to {@code router}. */
    void register(Router router, RefusedNodeGate gate) {
        router.exact(PREFIX + "replicas", route("admin_replicas", Map.of(HttpMethod.GET, Handler.answering(this::replicas))))
                .exact(PREFIX + "local", route("admin_local", Map.of(HttpMethod.GET, gate.around(Handler.answering(this::local)))))
                .exact(PREFIX + "hints", route("admin_hints", Map.of(HttpMethod.GET, Handler.answering(this::hints))))
                .exact(PREFIX + "repair", route("admin_repair", Map.of(
                        HttpMethod.GET, Handler.answering(this::repair),
                        HttpMethod.POST, gate.around(Handler.answering(this::startRepair)))))
                .exact(PREFIX + "repairs", route("admin_repairs", Map.of(HttpMethod.GET, Handler.answering(this::repairs))))
                .exact(PREFIX + "decommission", route("admin_decommission",
                        Map.of(HttpMethod.POST, gate.around(Handler.answering(this::decommission)))))
                .exact(PREFIX + "streaming", route("admin_streaming", Map.of(HttpMethod.GET, Handler.answering(this::streaming))))
                .exact(PREFIX + "removenode", route("admin_removenode",
                        Map.of(HttpMethod.POST, gate.around(Handler.answering(this::removeNode)))))
                .exact(PREFIX + "ranges", route("admin_ranges", Map.of(HttpMethod.GET, Handler.answering(this::ranges))))
                .exact(PREFIX + "compact", route("admin_compact", Map.of(HttpMethod.POST, gate.around(Handler.answering(this::compact)))));
    }

    private static Router.Route route(String endpoint, Map<HttpMethod, Handler> handlers) {
        return new Router.Route(endpoint, handlers, Router.Execution.WORKER);
    }

    /** {@code GET replicas?key=K}: the preference list in order, the key's token, and each replica's liveness here. */
    private Reply replicas(ApiRequest request) {
        String key = AdminParameters.key(request, rules);
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        List<String> replicas = admin.replicas(keyBytes);
        ObjectNode body = JsonBodies.MAPPER.createObjectNode()
                .put("key", key)
                .put("token", Token.of(keyBytes).toString());
        ArrayNode list = body.putArray("replicas");
        replicas.forEach(list::add);
        if (clusterStatus != null) {
            Map<String, String> liveness = new HashMap<>();
            clusterStatus.get().members().forEach(m -> liveness.put(m.id(), m.liveness()));
            ObjectNode byReplica = body.putObject("liveness");
            // a replica this node has no member for cannot be judged: say so rather than guess
            replicas.forEach(id -> byReplica.put(id, liveness.getOrDefault(id, "UNKNOWN")));
        }
        return ErrorMapping.json(HttpResponseStatus.OK, body.put("node", nodeId));
    }

    /** {@code GET local?key=K}: this node's own versions, formatted exactly as a get formats them. */
    private Reply local(ApiRequest request) {
        String key = AdminParameters.key(request, rules);
        Optional<GetResult> stored = admin.local(key.getBytes(StandardCharsets.UTF_8));
        // nothing stored at all is the same 404 a get gives for a key never written (no context)
        return GetHandler.reply(key, stored.orElse(new GetResult(List.of(), null)));
    }

    private Reply hints(ApiRequest request) {
        AdminParameters.only(request, Set.of());
        return ErrorMapping.json(HttpResponseStatus.OK, AdminJson.hints(nodeId, admin.hints()));
    }

    /** {@code POST repair[?range=FROM:TO]}: 202 with the run's first progress and where to follow it. */
    private Reply startRepair(ApiRequest request) {
        AdminParameters.only(request, Set.of("range"));
        if (request.body().length > 0) {
            // a body is most likely a range sent the wrong way: refusing it beats repairing everything
            throw ApiException.badRequest("invalid_request", "POST " + PREFIX + "repair takes no body; give a token range as"
                    + " ?range=FROM:TO");
        }
        Optional<TokenRange> range = AdminParameters.range(request.query());
        RepairProgress progress;
        try {
            progress = admin.startRepair(range);
        } catch (AntiEntropyDisabledException e) {
            throw disabled(e);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_parameter", e.getMessage());
        }
        return ErrorMapping.json(HttpResponseStatus.ACCEPTED, AdminJson.repair(progress))
                .withHeader(HttpHeaderNames.LOCATION.toString(), PREFIX + "repair?id=" + progress.id());
    }

    private Reply repair(ApiRequest request) {
        long id = AdminParameters.repairId(request);
        return admin.repair(id)
                .map(p -> ErrorMapping.json(HttpResponseStatus.OK, AdminJson.repair(p)))
                .orElseThrow(() -> new ApiException(HttpResponseStatus.NOT_FOUND, "not_found", "no repair " + id
                        + " on " + nodeId + " since it started (GET " + PREFIX + "repairs lists them)"));
    }

    private Reply repairs(ApiRequest request) {
        AdminParameters.only(request, Set.of());
        return ErrorMapping.json(HttpResponseStatus.OK, AdminJson.repairs(admin.repairs()));
    }

    /** {@code POST decommission}: 202 with the first progress; follow it at {@code GET streaming}. */
    private Reply decommission(ApiRequest request) {
        AdminParameters.only(request, Set.of());
        if (request.body().length > 0) {
            throw ApiException.badRequest("invalid_request", "POST " + PREFIX + "decommission takes no body");
        }
        StreamProgress progress;
        try {
            progress = admin.decommission();
        } catch (IllegalStateException e) {
            throw new ApiException(HttpResponseStatus.CONFLICT, "invalid_state", e.getMessage());
        }
        return ErrorMapping.json(HttpResponseStatus.ACCEPTED, AdminJson.streaming(progress))
                .withHeader(HttpHeaderNames.LOCATION.toString(), PREFIX + "streaming");
    }

    /** {@code GET streaming}: this node's join or decommission streaming, or 404 when there is none. */
    private Reply streaming(ApiRequest request) {
        AdminParameters.only(request, Set.of());
        return admin.streaming()
                .map(p -> ErrorMapping.json(HttpResponseStatus.OK, AdminJson.streaming(p)))
                .orElseThrow(() -> new ApiException(HttpResponseStatus.NOT_FOUND, "not_found", "node " + nodeId
                        + " has not joined or left by streaming since it started"));
    }

    /** {@code POST removenode?node=ID}: 200 once ID is announced LEFT; its ranges refill from the surviving replicas. */
    private Reply removeNode(ApiRequest request) {
        AdminParameters.only(request, Set.of("node"));
        List<String> node = request.query().get("node");
        if (node == null || node.isEmpty() || node.getFirst().isBlank()) {
            throw ApiException.badRequest("invalid_parameter", "query parameter \"node\" is required: the id of the node to remove");
        }
        try {
            admin.removeNode(node.getFirst());
        } catch (IllegalStateException e) {
            throw new ApiException(HttpResponseStatus.CONFLICT, "invalid_state", e.getMessage());
        }
        return ErrorMapping.json(HttpResponseStatus.OK, JsonBodies.MAPPER.createObjectNode().put("removed", node.getFirst())
                .put("by", nodeId).put("message", "node " + node.getFirst() + " is LEFT; its ranges are re-replicated from the"
                        + " surviving replicas by anti-entropy"));
    }

    /** {@code GET ranges}: every range this node replicates, its replicas and its Merkle root now. */
    private Reply ranges(ApiRequest request) {
        AdminParameters.only(request, Set.of());
        try {
            return ErrorMapping.json(HttpResponseStatus.OK, AdminJson.ranges(nodeId, admin.ranges()));
        } catch (AntiEntropyDisabledException e) {
            throw disabled(e);
        }
    }

    /** {@code POST compact}: flush and compact this node's whole store now; 200 once done. */
    private Reply compact(ApiRequest request) {
        AdminParameters.only(request, Set.of());
        if (request.body().length > 0) {
            throw ApiException.badRequest("invalid_request", "POST " + PREFIX + "compact takes no body");
        }
        return ErrorMapping.json(HttpResponseStatus.OK, AdminJson.compaction(nodeId, admin.compact()));
    }

    /** 409: the request is fine, the node's configuration does not allow it; retrying will not help. */
    private ApiException disabled(AntiEntropyDisabledException e) {
        return new ApiException(HttpResponseStatus.CONFLICT, "anti_entropy_disabled", nodeId + ": " + e.getMessage());
    }
}
