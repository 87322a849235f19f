package io.ringkv.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.KvService;
import io.ringkv.cluster.api.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * {@code GET /api/v1/get?key=K}: every concurrent version of K as JSON and one context that
 * covers them all (Dynamo §4.4: the client reconciles siblings and writes back with the context).
 * An absent key is 404; if a delete left a tombstone, the 404 still carries its context so the
 * next write can supersede the delete instead of standing beside it. Called on the event loop:
 * it validates, asks the service and renders the answer where the answer arrives.
 *
 * <p>The design notes' {@code GET /api/v1/getValue?key=K} is the same read rendered as one
 * value ({@link GetValueReply}): one validation and one coordinator call for both.
 */
final class GetHandler implements Handler {
    private static final Set<String> PARAMETERS = Set.of("key", "r", "w", "sloppy", "consistency");
    private final KvService service;
    private final RequestRules rules;
    private final BiFunction<String, GetResult, Reply> render;

    private GetHandler(KvService service, RequestRules rules, BiFunction<String, GetResult, Reply> render) {
        this.service = service;
        this.rules = rules;
        this.render = render;
    }

    /** {@code /api/v1/get}: every version and the context. */
    static GetHandler versions(KvService service, RequestRules rules) {
        return new GetHandler(service, rules, GetHandler::reply);
    }

    /** {@code /api/v1/getValue}: the value, or every version flagged as a conflict when there are several. */
    static GetHandler singleValue(KvService service, RequestRules rules) {
        return new GetHandler(service, rules, GetValueReply::reply);
    }

    @Override
    public CompletableFuture<Reply> handle(ApiRequest request) {
        RequestOptions options = rules.options(request.query(), PARAMETERS);
        List<String> keys = request.query().get("key");
        if (keys == null) {
            throw ApiException.badRequest("invalid_parameter", "query parameter \"key\" is required");
        }
        String key = keys.getFirst();
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        rules.checkKey(keyBytes);

        return service.getAsync(keyBytes, options).thenApply(result -> render.apply(key, result));
    }

    /** The answer for {@code result}: also how {@code /api/v1/admin/local} shows one node's own versions. */
    static Reply reply(String key, GetResult result) {
        if (result.isAbsent()) {
            ObjectNode body = ErrorMapping.body("not_found", "no value for key \"" + key + "\"");
            body.put("key", key);
            if (result.context() != null) {
                body.put("context", result.context());
            }
            return ErrorMapping.json(HttpResponseStatus.NOT_FOUND, body);
        }
        ObjectNode body = JsonBodies.MAPPER.createObjectNode().put("key", key);
        ArrayNode values = body.putArray("values");
        for (byte[] stored : result.values()) {
            values.add(JsonBodies.render(StoredValue.decode(stored)));
        }
        body.put("context", result.context());
        return ErrorMapping.json(HttpResponseStatus.OK, body);
    }
}
