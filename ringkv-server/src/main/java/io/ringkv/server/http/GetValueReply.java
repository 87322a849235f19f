package io.ringkv.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.ringkv.cluster.api.GetResult;

/**
 * The design notes' read, {@code GET /api/v1/getValue?key=K}: {@code {"key": K, "value": V}} (plus
 * the context, to write back with). The notes have one value per key; a Dynamo store may hold
 * several concurrent ones (siblings, §4.4), and picking one of them here would silently lose the
 * others' writes. So with more than one version the answer is {@code 300 Multiple Choices} (as
 * {@code GET /api/v1/kv/{key}} answers) with every value, {@code "conflict": true} and no
 * {@code value} field at all: a client that only knows the simple shape fails loudly instead of
 * reading an arbitrary winner. Absent keys answer exactly as {@code /api/v1/get} does.
 */
final class GetValueReply {
    private GetValueReply() {
    }

    static Reply reply(String key, GetResult result) {
        if (result.isAbsent()) {
            return GetHandler.reply(key, result);
        }
        ObjectNode body = JsonBodies.MAPPER.createObjectNode().put("key", key);
        if (result.values().size() == 1) {
            body.set("value", JsonBodies.render(StoredValue.decode(result.values().getFirst())));
            body.put("context", result.context());
            return ErrorMapping.json(HttpResponseStatus.OK, body);
        }
        body.put("conflict", true);
        ArrayNode values = body.putArray("values");
        for (byte[] stored : result.values()) {
            values.add(JsonBodies.render(StoredValue.decode(stored)));
        }
        body.put("context", result.context());
        body.put("message", result.values().size() + " concurrent versions of \"" + key + "\": merge them and"
                + " POST /api/v1/put the result with this context to resolve the conflict");
        return ErrorMapping.json(HttpResponseStatus.MULTIPLE_CHOICES, body);
    }
}
