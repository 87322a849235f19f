package io.ringkv.cluster.api;

/**
 * This node cannot coordinate yet: it restarted with its tokens and has not heard the ring from a
 * peer, so it would take itself for the only replica of every key (it would acknowledge a write
 * no read would ever find). Nothing was read or written; another node can serve the request.
 */
public final class NotReadyException extends KvException {
    public NotReadyException(String message) {
        super(message, null);
    }
}
