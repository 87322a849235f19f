package io.ringkv.client;

import java.net.URI;

/**
 * The node had too many requests in flight and refused this one at once (503 {@code overloaded}).
 * Nothing was stored. The client does not retry on another node by itself: when one node is
 * overloaded the others usually are too, and retrying would only add load.
 */
public final class ServerOverloadedException extends RingkvServerException {
    private static final long serialVersionUID = 1L;

    public ServerOverloadedException(String message, URI node) {
        super(503, "overloaded", message, node);
    }
}
