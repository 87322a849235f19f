package io.ringkv.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the HTTP layer refuses before (or instead of) calling the store: the status, a
 * stable machine-readable code and a message that names the problem. Mapped to a response by
 * {@link ErrorMapping}.
 */
final class ApiException extends RuntimeException {
    private final HttpResponseStatus status;
    private final String code;

    ApiException(HttpResponseStatus status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static ApiException badRequest(String code, String message) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, code, message);
    }

    static ApiException tooLarge(String code, String message) {
        return new ApiException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, code, message);
    }

    HttpResponseStatus status() {
        return status;
    }

    String code() {
        return code;
    }
}
