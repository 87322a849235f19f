package io.ringkv.cluster.streaming;

/** A stream step failed: no answer, a refusal, a damaged page. The range is retried from its checkpoint. */
public final class StreamFailedException extends RuntimeException {
    public StreamFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
