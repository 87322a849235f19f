package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.StoreFailureException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/** The few ways the coordinator builds and reads futures, so that every path fails the same way. */
final class Futures {
    private Futures() {
    }

    /** {@code call}'s future, or a failed one when {@code call} throws instead of returning one. */
    static <T> CompletableFuture<T> calling(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Runs blocking {@code work} (a disk read, an fsync wait) on {@code executor}, never on the
     * caller's thread; when the executor refuses because the node is closing, a failed future.
     */
    static <T> CompletableFuture<T> blocking(Supplier<T> work, Executor executor) {
        try {
            return CompletableFuture.supplyAsync(work, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new StoreFailureException("the node is shutting down", e));
        }
    }
}
