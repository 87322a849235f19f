package io.ringkv.client;

/**
 * Base of every failure the client reports. Subtypes say what the caller can do:
 * {@link InvalidRequestException} (fix the request), {@link QuorumNotMetException} and
 * {@link ServerOverloadedException} (retry later), {@link RingkvUnavailableException} (no node
 * could be reached), and {@link RingkvServerException} for any other error answer.
 */
public class RingkvException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RingkvException(String message) {
        super(message);
    }

    public RingkvException(String message, Throwable cause) {
        super(message, cause);
    }
}
