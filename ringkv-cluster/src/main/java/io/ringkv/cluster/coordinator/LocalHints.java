package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.handoff.HintStore;
import io.ringkv.core.version.Siblings;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * This node's {@link HintStore} as the coordinator uses it: adding a hint may block (an fsync),
 * so it runs on the executor for blocking work; the future completes once the hint is durable.
 */
final class LocalHints {
    private final HintStore store;
    private final Executor blockingWork;
    private final Clock clock;

    LocalHints(HintStore store, Executor blockingWork, Clock clock) {
        this.store = store;
        this.blockingWork = blockingWork;
        this.clock = clock;
    }

    CompletableFuture<Void> add(String target, byte[] key, Siblings versions) {
        return Futures.blocking(() -> {
            store.add(target, key, versions, clock.millis());
            return null;
        }, blockingWork);
    }

    HintStore store() {
        return store;
    }
}
