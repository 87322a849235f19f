package io.ringkv.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.KvService;
import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.RequestOptions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET|PUT|DELETE /api/v1/kv/{key}}: values as raw bytes, the context in the
 * {@value #CONTEXT_HEADER} header. The key is the percent-decoded path segment, byte for byte.
 * A GET with exactly one version returns its bytes; with siblings it returns 300 Multiple Choices
 * and a JSON listing in which every version says its content type (see docs/http-api.md).
 * Called on the event loop, like the JSON endpoints.
 */
final class RawKvHandler implements Handler {
    static final String PREFIX = "/api/v1/kv/";
    static final String CONTEXT_HEADER = "X-Ringkv-Context";

    private final KvService service;
    private final RequestRules rules;

    RawKvHandler(KvService service, RequestRules rules) {
        this.service = service;
        this.rules = rules;
    }

    @Override
    public CompletableFuture<Reply> handle(ApiRequest request) {
        RequestOptions options = rules.options(request.query(), RequestRules.QUORUM_PARAMETERS);
        byte[] key = percentDecode(request.rawPath().substring(PREFIX.length()));
        rules.checkKey(key);
        String keyText = new String(key, StandardCharsets.UTF_8);
        HttpMethod method = request.method();
        if (method.equals(HttpMethod.GET)) {
            return service.getAsync(key, options).thenApply(result -> getReply(keyText, result));
        }
        String context = request.headers().get(CONTEXT_HEADER);
        CompletableFuture<PutResult> result;
        if (method.equals(HttpMethod.PUT)) {
            StoredValue value = valueOf(request);
            rules.checkKeyValue(key, value.payload());
            result = service.putAsync(key, context, value.encode(), options);
        } else {
            result = service.deleteAsync(key, context, options);
        }
        return result.thenApply(written -> Reply.of(HttpResponseStatus.OK, Reply.JSON,
                JsonBodies.writeReply(keyText, written.context(), written.replicas(), written.hints()))
                .withHeader(CONTEXT_HEADER, written.context()));
    }

    private static Reply getReply(String keyText, GetResult result) {
        if (result.isAbsent()) {
            ObjectNode body = ErrorMapping.body("not_found", "no value for key \"" + keyText + "\"");
            body.put("key", keyText);
            Reply reply;
            if (result.context() != null) {
                body.put("context", result.context());
                reply = ErrorMapping.json(HttpResponseStatus.NOT_FOUND, body).withHeader(CONTEXT_HEADER, result.context());
            } else {
                reply = ErrorMapping.json(HttpResponseStatus.NOT_FOUND, body);
            }
            return reply;
        }
        if (result.values().size() == 1) {
            StoredValue value = StoredValue.decode(result.values().getFirst());
            String type = value instanceof StoredValue.Json ? Reply.JSON : Reply.OCTETS;
            return Reply.of(HttpResponseStatus.OK, type, value.payload()).withHeader(CONTEXT_HEADER, result.context());
        }
        ObjectNode body = JsonBodies.MAPPER.createObjectNode().put("key", keyText);
        ArrayNode versions = body.putArray("versions");
        for (byte[] stored : result.values()) {
            switch (StoredValue.decode(stored)) {
                case StoredValue.Json json -> versions.addObject().put("contentType", Reply.JSON)
                        .set("value", JsonBodies.render(json));
                case StoredValue.Binary binary -> versions.addObject().put("contentType", Reply.OCTETS)
                        .put("base64", Base64.getEncoder().encodeToString(binary.payload()));
            }
        }
        body.put("context", result.context());
        return ErrorMapping.json(HttpResponseStatus.MULTIPLE_CHOICES, body).withHeader(CONTEXT_HEADER, result.context());
    }

    /** A body sent as application/json is stored as a JSON value (and must be one); anything else as bytes. */
    private static StoredValue valueOf(ApiRequest request) {
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (mediaType.equals(Reply.JSON)) {
            JsonNode value = JsonBodies.parse(request.body(), "request body");
            return new StoredValue.Json(JsonBodies.storableValue(value, "request body"));
        }
        return new StoredValue.Binary(request.body());
    }

    /** RFC 3986 percent-decoding to raw bytes ('+' is a plus sign in a path). */
    static byte[] percentDecode(String raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b != '%') {
                out.write(b);
                continue;
            }
            int hi = i + 2 < bytes.length ? Character.digit(bytes[i + 1], 16) : -1;
            int lo = i + 2 < bytes.length ? Character.digit(bytes[i + 2], 16) : -1;
            if (hi < 0 || lo < 0) {
                throw ApiException.badRequest("invalid_request", "key in the path has a malformed percent-escape at character " + i);
            }
            out.write(hi << 4 | lo);
            i += 2;
        }
        return out.toByteArray();
    }
}
