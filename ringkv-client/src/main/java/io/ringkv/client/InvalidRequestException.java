package io.ringkv.client;

import java.net.URI;

/**
 * The node refused the request as malformed (400, 413, 414, 431): a bad r or w, a key or value
 * too large, an unreadable context. Retrying the same request cannot succeed. The message is
 * the server's.
 */
public final class InvalidRequestException extends RingkvServerException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(int status, String errorCode, String message, URI node) {
        super(status, errorCode, message, node);
    }
}
