package io.ringkv.client;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Sends each request straight to a replica of its key (Dynamo §4.3, §6.4's "client-driven"
 * coordination: one hop, no forwarding), from the ring a {@link RingRefresher} keeps; the
 * order is {@link RingView#order}. Until a ring is known (no node answered yet) it spreads
 * requests over the configured nodes like {@link RoundRobinSelector}, which is always correct.
 */
final class PartitionAwareSelector implements NodeSelector {
    private final Supplier<RingView> views;
    private final NodeSelector beforeRingKnown = new RoundRobinSelector();
    private final AtomicInteger rotation = new AtomicInteger();

    PartitionAwareSelector(Supplier<RingView> views) {
        this.views = views;
    }

    @Override
    public List<URI> order(byte[] key, List<URI> configured) {
        RingView view = views.get();
        if (view == null) {
            return beforeRingKnown.order(key, configured);
        }
        List<URI> order = view.order(key, rotation.getAndIncrement());
        return order.isEmpty() ? beforeRingKnown.order(key, configured) : order;
    }
}
