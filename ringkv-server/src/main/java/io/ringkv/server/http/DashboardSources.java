package io.ringkv.server.http;

import java.util.function.Supplier;

/**
 * What the node gives the HTTP server so that it can serve the dashboard at {@code /} and its
 * JSON ({@code /api/v1/ring}, {@code /api/v1/stats}, {@code /api/v1/stats/cluster}). Each supplier
 * may block briefly (the stats walk the data directory): they are called on virtual threads.
 */
public record DashboardSources(Supplier<RingView> ring, Supplier<NodeStats> stats) {
}
