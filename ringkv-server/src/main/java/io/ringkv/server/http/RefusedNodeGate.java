package io.ringkv.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keeps the store's endpoints shut while this process refuses to serve its node id (another
 * process that started first with the same id holds it): they answer 503 node_refused with what
 * to do, rather than read or write what is most likely a copy of that node's data.
 */
final class RefusedNodeGate {
    private final Supplier<Optional<ClusterStatus.IdConflict>> idConflict;

    /** @param idConflict called on every request, on the event loop: cheap, never blocks */
    RefusedNodeGate(Supplier<Optional<ClusterStatus.IdConflict>> idConflict) {
        this.idConflict = idConflict;
    }

    Handler around(Handler handler) {
        return request -> {
            Optional<ClusterStatus.IdConflict> conflict = idConflict.get();
            if (conflict.isPresent() && conflict.get().thisNodeRefused()) {
                throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "node_refused", conflict.get().message());
            }
            return handler.handle(request);
        };
    }
}
