package io.ringkv.cluster.membership;

/**
 * Gossip bytes that do not follow docs/design/gossip.md ("Wire format"): truncated, too long,
 * a count over its bound, an unknown tag, or values a well-behaved node cannot produce. The
 * message says what was wrong and at which byte offset; nothing of the message is applied.
 */
public final class MalformedGossipException extends RuntimeException {
    public MalformedGossipException(String message) {
        super(message);
    }

    public MalformedGossipException(String message, Throwable cause) {
        super(message, cause);
    }
}
