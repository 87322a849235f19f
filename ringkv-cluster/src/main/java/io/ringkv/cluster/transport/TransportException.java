package io.ringkv.cluster.transport;

/** Base of transport failures; the request may or may not have reached the peer. */
public class TransportException extends RuntimeException {
    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
