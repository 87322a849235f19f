package io.ringkv.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.ringkv.cluster.api.KvService;
import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /api/v1/put} with {@code {"key", "value", "context"?}} and {@code POST /api/v1/delete}
 * with {@code {"key", "context"?}}: Dynamo's put(key, context, object) and a versioned delete.
 * Everything is validated before the store is called, so a refused request stores nothing.
 * Called on the event loop: parsing and validation are cheap, and the service never blocks.
 */
final class WriteHandler implements Handler {
    private static final Set<String> PUT_FIELDS = Set.of("key", "value", "context");
    private static final Set<String> DELETE_FIELDS = Set.of("key", "context");

    private final KvService service;
    private final RequestRules rules;
    private final boolean delete;

    private WriteHandler(KvService service, RequestRules rules, boolean delete) {
        this.service = service;
        this.rules = rules;
        this.delete = delete;
    }

    static WriteHandler put(KvService service, RequestRules rules) {
        return new WriteHandler(service, rules, false);
    }

    static WriteHandler delete(KvService service, RequestRules rules) {
        return new WriteHandler(service, rules, true);
    }

    @Override
    public CompletableFuture<Reply> handle(ApiRequest request) {
        RequestOptions options = rules.options(request.query(), RequestRules.QUORUM_PARAMETERS);
        ObjectNode body = JsonBodies.object(request.body(), delete ? DELETE_FIELDS : PUT_FIELDS);

        JsonNode keyNode = body.get("key");
        if (keyNode == null || keyNode.isNull()) {
            throw ApiException.badRequest("invalid_request", "field \"key\" is required");
        }
        if (!keyNode.isTextual()) {
            throw ApiException.badRequest("invalid_request", "key must be a non-empty string, got " + JsonBodies.kind(keyNode));
        }
        String key = keyNode.asText();
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        rules.checkKey(keyBytes);
        String context = context(body.get("context"));

        CompletableFuture<PutResult> result;
        if (delete) {
            result = service.deleteAsync(keyBytes, context, options);
        } else {
            JsonNode valueNode = body.get("value");
            if (valueNode == null) {
                throw ApiException.badRequest("invalid_request", "field \"value\" is required");
            }
            byte[] payload = JsonBodies.storableValue(valueNode, "value");
            rules.checkKeyValue(keyBytes, payload);
            result = service.putAsync(keyBytes, context, new StoredValue.Json(payload).encode(), options);
        }
        return result.thenApply(written -> Reply.of(HttpResponseStatus.OK, Reply.JSON,
                JsonBodies.writeReply(key, written.context(), written.replicas(), written.hints())));
    }

    private static String context(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest("invalid_request", "context must be a string (as returned by get), got " + JsonBodies.kind(node));
        }
        return node.asText();
    }
}
