package io.ringkv.cluster.api;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The store as the outside world sees it: Dynamo's get(key) and put(key, context, object), plus
 * versioned delete. The HTTP layer calls only this. A cluster node implements it with a quorum
 * coordinator.
 *
 * <p>The asynchronous methods are the service: they never block the calling thread, so an event
 * loop may call them, and their future completes on whatever thread decides the outcome (often
 * the inter-node transport's). The blocking ones are conveniences over them for callers on
 * threads that may wait (tests, tools).
 *
 * <p>Errors are typed by what the caller can do, and arrive as the future's failure:
 * {@link InvalidRequestException} (fix the request), {@link QuorumNotMetException} (retry,
 * perhaps with a lower R/W), {@link StoreFailureException} (the node could not read or write its
 * storage).
 */
public interface KvService {

    /** Every concurrent version of {@code key} and one context covering them all. */
    CompletableFuture<GetResult> getAsync(byte[] key, RequestOptions options);

    /**
     * Stores {@code value} as a new version that supersedes every version the {@code context}
     * covers ({@code null}: a fresh write, concurrent with whatever exists).
     */
    CompletableFuture<PutResult> putAsync(byte[] key, String context, byte[] value, RequestOptions options);

    /** Writes a versioned tombstone superseding the versions the {@code context} covers. */
    CompletableFuture<PutResult> deleteAsync(byte[] key, String context, RequestOptions options);

    /** {@link #getAsync}, waiting for the answer; throws its {@link KvException}. */
    default GetResult get(byte[] key, RequestOptions options) {
        return await(getAsync(key, options));
    }

    /** {@link #putAsync}, waiting for the answer; throws its {@link KvException}. */
    default PutResult put(byte[] key, String context, byte[] value, RequestOptions options) {
        return await(putAsync(key, context, value, options));
    }

    /** {@link #deleteAsync}, waiting for the answer; throws its {@link KvException}. */
    default PutResult delete(byte[] key, String context, RequestOptions options) {
        return await(deleteAsync(key, context, options));
    }

    /** The future's value, or its failure rethrown as it was raised (not wrapped). */
    static <T> T await(CompletableFuture<T> answer) {
        try {
            return answer.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** The failure a dependent stage of a future saw, without the {@link CompletionException} wrapping it. */
    static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
