package io.ringkv.cluster.transport;

/** The peer received the request but its handler failed; the message is the peer's. */
public final class RemoteHandlerException extends TransportException {
    public RemoteHandlerException(String message) {
        super(message);
    }
}
