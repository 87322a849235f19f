package io.ringkv.cluster.transport;

/** The peer could not be reached (connection refused or lost), or its queue is full. */
public final class PeerUnavailableException extends TransportException {
    public PeerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
