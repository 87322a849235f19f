package io.ringkv.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** {@code GET /api/v1/ring}: every owner's tokens in this node's view of the ring, and the ring's version. */
final class RingHandler implements Handler {
    private final Supplier<RingView> ring;

    RingHandler(Supplier<RingView> ring) {
        this.ring = ring;
    }

    @Override
    public CompletableFuture<Reply> handle(ApiRequest request) {
        AdminParameters.only(request, Set.of());
        RingView view = ring.get();
        ObjectNode root = JsonBodies.MAPPER.createObjectNode().put("node", view.node()).put("version", view.version())
                .put("tokens", view.nodes().stream().mapToInt(n -> n.tokens().size()).sum());
        ArrayNode nodes = root.putArray("nodes");
        for (RingView.NodeTokens owner : view.nodes()) {
            ArrayNode tokens = nodes.addObject().put("id", owner.id()).putArray("tokens");
            owner.tokens().forEach(tokens::add);
        }
        return CompletableFuture.completedFuture(ErrorMapping.json(HttpResponseStatus.OK, root));
    }
}
