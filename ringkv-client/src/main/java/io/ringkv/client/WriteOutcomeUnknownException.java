package io.ringkv.client;

import java.net.URI;

/**
 * A write (put or delete) went out to a node whole, and then no answer came: the connection
 * broke or the node did not answer within the timeout. The node may have applied it, so the
 * client did not send it to another node (that could store it twice). What to do: read the
 * key and, if your write is not there, write again with the context of that read.
 */
public final class WriteOutcomeUnknownException extends RingkvException {
    private static final long serialVersionUID = 1L;

    private final URI node;

    public WriteOutcomeUnknownException(URI node, Throwable cause) {
        super("the write was sent to " + node + " but no answer came (" + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
                + "); it may or may not have been applied: read the key and write again with its context", cause);
        this.node = node;
    }

    /** The node the write was sent to. */
    public URI node() {
        return node;
    }
}
