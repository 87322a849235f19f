package io.ringkv.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP answer as read off the wire, before it is given a meaning by {@link ResponseMapping}.
 *
 * @param node        the node that answered
 * @param status      HTTP status code
 * @param contentType the Content-Type header, or null
 * @param context     the X-Ringkv-Context header, or null
 * @param body        the body (empty if none)
 */
record RawResponse(URI node, int status, String contentType, String context, byte[] body) {
    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    boolean isJson() {
        return contentType != null && contentType.regionMatches(true, 0, "application/json", 0, "application/json".length());
    }
}
