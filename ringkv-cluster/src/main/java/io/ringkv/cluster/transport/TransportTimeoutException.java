package io.ringkv.cluster.transport;

/** No response arrived before the request's deadline. */
public final class TransportTimeoutException extends TransportException {
    public TransportTimeoutException(String message) {
        super(message);
    }
}
