package io.ringkv.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;

/**
 * A request copied out of Netty's reference-counted buffers, so it can be handed to a worker
 * thread after the event loop has released the original.
 *
 * @param rawPath the path exactly as sent, still percent-encoded (a key may contain "%2F")
 * @param query   decoded query parameters, each with every value given
 */
record ApiRequest(HttpMethod method, String rawPath, Map<String, List<String>> query, HttpHeaders headers, byte[] body) {
}
