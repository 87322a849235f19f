package io.ringkv.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.ringkv.cluster.api.InvalidRequestException;
import io.ringkv.cluster.api.NotReadyException;
import io.ringkv.cluster.api.QuorumNotMetException;
import io.ringkv.cluster.api.StoreFailureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one table that turns a failure into an HTTP status and a JSON body
 * {@code {"error": "<code>", "message": "..."}}. Errors are typed by what the caller can do
 * (STYLE.md, rule 9): fix the request (4xx), retry later (503), or tell an operator (500).
 *
 * <pre>
 *   ApiException             its own status and code (400, 404, 405, 413, 503 ...)
 *   InvalidRequestException  400 invalid_request
 *   QuorumNotMetException    503 quorum_not_met   + "required", "acknowledged" (+ "dataCenter" when counted per data center)
 *   NotReadyException        503 not_ready
 *   StoreFailureException    500 store_failure
 *   anything else            500 internal_error   (logged with its stack trace)
 * </pre>
 */
final class ErrorMapping {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

    private ErrorMapping() {
    }

    static Reply toReply(Throwable failure) {
        return switch (failure) {
            case ApiException e -> error(e.status(), e.code(), e.getMessage());
            case InvalidRequestException e -> error(HttpResponseStatus.BAD_REQUEST, "invalid_request", e.getMessage());
            case QuorumNotMetException e -> {
                ObjectNode body = body("quorum_not_met", e.getMessage());
                body.put("required", e.required());
                body.put("acknowledged", e.acknowledged());
                e.dataCenter().ifPresent(dc -> body.put("dataCenter", dc));
                yield json(HttpResponseStatus.SERVICE_UNAVAILABLE, body);
            }
            case NotReadyException e -> error(HttpResponseStatus.SERVICE_UNAVAILABLE, "not_ready", e.getMessage());
            case StoreFailureException e -> {
                log.error("storage failure: {}", e.getMessage(), e.getCause());
                yield error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "store_failure", e.getMessage());
            }
            default -> {
                log.error("unexpected failure serving a request", failure);
                yield error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error",
                        failure.getClass().getSimpleName() + ": " + failure.getMessage());
            }
        };
    }

    static Reply error(HttpResponseStatus status, String code, String message) {
        return json(status, body(code, message));
    }

    static ObjectNode body(String code, String message) {
        return JsonBodies.MAPPER.createObjectNode().put("error", code).put("message", message);
    }

    static Reply json(HttpResponseStatus status, ObjectNode body) {
        return Reply.of(status, Reply.JSON, JsonBodies.bytes(body));
    }
}
