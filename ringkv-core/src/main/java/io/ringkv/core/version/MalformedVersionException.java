package io.ringkv.core.version;

/**
 * Encoded versions (a sibling set or a clock) are unreadable: truncated, an unknown format,
 * a length past the end, an invalid field. Decoders throw this instead of guessing.
 */
public class MalformedVersionException extends IllegalArgumentException {
    public MalformedVersionException(String message) {
        super(message);
    }

    public MalformedVersionException(String message, Throwable cause) {
        super(message, cause);
    }
}
