package io.ringkv.cluster.api;

/** Base of the errors a {@link KvService} reports to its callers. */
public abstract sealed class KvException extends RuntimeException
        permits InvalidRequestException, NotReadyException, QuorumNotMetException, StoreFailureException {
    protected KvException(String message, Throwable cause) {
        super(message, cause);
    }
}
