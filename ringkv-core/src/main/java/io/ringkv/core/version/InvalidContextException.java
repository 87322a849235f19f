package io.ringkv.core.version;

/** A context string from a client is not one this store issued: unreadable, damaged or unknown format. */
public final class InvalidContextException extends IllegalArgumentException {
    public InvalidContextException(String message) {
        super(message);
    }

    public InvalidContextException(String message, Throwable cause) {
        super(message, cause);
    }
}
