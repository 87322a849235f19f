package io.ringkv.cluster.transport;

/**
 * The peer could not be reached (connection refused or lost), or its queue is full. When the
 * request certainly did not reach the peer's handler it is the subtype {@link NotDeliveredException}.
 */
public sealed class PeerUnavailableException extends TransportException permits NotDeliveredException {
    public PeerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
