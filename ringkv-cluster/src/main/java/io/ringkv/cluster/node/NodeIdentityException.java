package io.ringkv.cluster.node;

/**
 * The node identity file cannot be read, is damaged, belongs to another node, or cannot be
 * written. The message names the file and what to do; the node must not start without it.
 */
public final class NodeIdentityException extends RuntimeException {
    public NodeIdentityException(String message) {
        super(message);
    }

    public NodeIdentityException(String message, Throwable cause) {
        super(message, cause);
    }
}
