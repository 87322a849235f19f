package io.ringkv.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/ring}: every owner's tokens in this node's view of the ring, each range's
 * replicas, and the ring's version. The version, quoted, is the answer's {@code ETag}: a request
 * whose {@code If-None-Match} names it is answered {@code 304 Not Modified} with no body (RFC 9110
 * §13.1.2), so a client that holds the ring pays a few header bytes to learn it is current.
 */
final class RingHandler implements Handler {
    private final Supplier<RingView> ring;

    RingHandler(Supplier<RingView> ring) {
        this.ring = ring;
    }

    @Override
    public CompletableFuture<Reply> handle(ApiRequest request) {
        AdminParameters.only(request, Set.of());
        RingView view = ring.get();
        String etag = '"' + view.version() + '"';
        if (matchesAny(request.headers().getAll(HttpHeaderNames.IF_NONE_MATCH), etag)) {
            return CompletableFuture.completedFuture(Reply.notModified().withHeader("ETag", etag)
                    .withHeader("Cache-Control", "no-cache"));
        }
        return CompletableFuture.completedFuture(ErrorMapping.json(HttpResponseStatus.OK, json(view))
                .withHeader("ETag", etag).withHeader("Cache-Control", "no-cache"));
    }

    /**
     * The body. {@code replicas}, beside each owner's {@code tokens}, gives for each token the
     * indexes into {@code nodes} of its range's replicas in preference-list order: a few bytes a
     * token, where ids would repeat every node's name N times per vnode.
     */
    static ObjectNode json(RingView view) {
        ObjectNode root = JsonBodies.MAPPER.createObjectNode().put("node", view.node()).put("version", view.version())
                .put("tokens", view.nodes().stream().mapToInt(n -> n.tokens().size()).sum());
        Map<String, Integer> indexOf = new HashMap<>();
        for (RingView.NodeTokens owner : view.nodes()) {
            indexOf.put(owner.id(), indexOf.size());
        }
        ArrayNode nodes = root.putArray("nodes");
        for (RingView.NodeTokens owner : view.nodes()) {
            ObjectNode node = nodes.addObject().put("id", owner.id());
            ArrayNode tokens = node.putArray("tokens");
            owner.tokens().forEach(tokens::add);
            ArrayNode replicas = node.putArray("replicas");
            for (List<String> range : owner.replicas()) {
                ArrayNode indexes = replicas.addArray();
                range.forEach(id -> indexes.add(indexOf.get(id)));
            }
        }
        return root;
    }

    /**
     * Whether an {@code If-None-Match} header (every occurrence, each a comma-separated list)
     * names {@code etag} or is {@code *}. Weak comparison, as RFC 9110 §13.1.2 asks for GET: a
     * {@code W/} prefix is ignored.
     */
    static boolean matchesAny(List<String> ifNoneMatch, String etag) {
        for (String header : ifNoneMatch) {
            for (String tag : header.split(",")) {
                String t = tag.strip();
                if (t.startsWith("W/")) {
                    t = t.substring(2);
                }
                if (t.equals("*") || t.equals(etag)) {
                    return true;
                }
            }
        }
        return false;
    }
}
