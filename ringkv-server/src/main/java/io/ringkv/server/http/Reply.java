package io.ringkv.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/**
 * A response as handlers produce it: plain bytes and headers, no Netty buffers, so handlers can
 * run on any thread and be tested without a channel.
 */
record Reply(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON = "application/json";
    static final String OCTETS = "application/octet-stream";

    Reply {
        headers = Map.copyOf(headers);
    }

    static Reply of(HttpResponseStatus status, String contentType, byte[] body) {
        return new Reply(status, contentType, body, Map.of());
    }

    Reply withHeader(String name, String value) {
        var copy = new java.util.LinkedHashMap<>(headers);
        copy.put(name, value);
        return new Reply(status, contentType, body, copy);
    }
}
