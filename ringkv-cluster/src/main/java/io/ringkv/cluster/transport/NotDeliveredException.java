package io.ringkv.cluster.transport;

/**
 * The request certainly never reached the peer's handler: it was not sent (no connection, no
 * address, too many in flight, the connection closed before it was written) or the peer refused
 * it unread (overloaded, nobody listening). Unlike a timeout or a connection lost after sending,
 * the peer cannot have acted on it, so a caller may try another peer without risking that both
 * act on it.
 */
public final class NotDeliveredException extends PeerUnavailableException {
    public NotDeliveredException(String message, Throwable cause) {
        super(message, cause);
    }
}
