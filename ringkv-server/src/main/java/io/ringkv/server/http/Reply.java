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

    /** {@code 304 Not Modified}: no body, so no type and no length either (RFC 9110 §15.4.5, §8.6). */
    static Reply notModified() {
        return new Reply(HttpResponseStatus.NOT_MODIFIED, null, new byte[0], Map.of());
    }

    boolean hasNoContent() {
        return status.code() == HttpResponseStatus.NOT_MODIFIED.code();
    }

    Reply withHeader(String name, String value) {
        var copy = new java.util.LinkedHashMap<>(headers);
        copy.put(name, value);
        return new Reply(status, contentType, body, copy);
    }
}
