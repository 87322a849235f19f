package io.ringkv.cluster.coordinator;

/**
 * A coordinator message could not be decoded, or a peer said it could not decode ours. Either
 * side's bug or a version mismatch: the request is answered with an error, never half-applied.
 */
final class MalformedMessageException extends RuntimeException {
    MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
