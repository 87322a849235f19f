package io.ringkv.client;

import java.net.URI;

/**
 * A node answered with an error ({@code {"error": "<code>", "message": "..."}}, docs/http-api.md,
 * "Errors"). Subclasses cover the answers a caller handles differently; this class itself is
 * the rest (500 {@code store_failure} and {@code internal_error}, 404 {@code no_route}, ...).
 */
public class RingkvServerException extends RingkvException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorCode;
    private final URI node;

    public RingkvServerException(int status, String errorCode, String message, URI node) {
        super(describe(status, errorCode, message, node));
        this.status = status;
        this.errorCode = errorCode;
        this.node = node;
    }

    private static String describe(int status, String errorCode, String message, URI node) {
        return status + " " + errorCode + " from " + node + ": " + message;
    }

    /** The HTTP status, e.g. 400 or 503. */
    public int status() {
        return status;
    }

    /** The {@code error} field of the answer, e.g. {@code invalid_parameter}. */
    public String errorCode() {
        return errorCode;
    }

    /** The node that answered. */
    public URI node() {
        return node;
    }
}
