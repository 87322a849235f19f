package io.ringkv.cluster.api;

/** The request itself is wrong (unreadable context, R or W out of range, oversized key): fix it. */
public final class InvalidRequestException extends KvException {
    public InvalidRequestException(String message) {
        super(message, null);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
