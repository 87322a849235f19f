package io.ringkv.server.http;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Serves one endpoint and method: the reply, now or later. Its route says where it is called
 * ({@link Router.Execution}): on the event loop, where it must never block, or on a virtual thread.
 * It may throw instead of failing the future; either way the failure becomes an error reply.
 */
@FunctionalInterface
interface Handler {
    CompletableFuture<Reply> handle(ApiRequest request);

    /** A handler that has its reply before it returns. */
    static Handler answering(Function<ApiRequest, Reply> reply) {
        return request -> CompletableFuture.completedFuture(reply.apply(request));
    }
}
