package io.ringkv.cluster.api;

/** The node's storage failed (I/O error, corruption detected): the request was not served from bad data. */
public final class StoreFailureException extends KvException {
    public StoreFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
