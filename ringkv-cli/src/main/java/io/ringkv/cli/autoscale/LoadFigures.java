package io.ringkv.cli.autoscale;

import java.util.Locale;
import java.util.Map;

/**
 * The cluster's client load over one sampling interval: requests per second from the difference
 * of every node's counters, divided by the nodes (what each would serve with the load spread
 * evenly, as clients and a Kubernetes Service spread it), and the p99 of all of them together.
 *
 * @param nodes            nodes serving
 * @param opsPerSecond     data requests per second, all nodes together
 * @param p99Millis        the p99 latency over the interval; NaN with fewer than {@link #MIN_REQUESTS_FOR_P99} requests
 * @param requests         data requests in the interval
 */
public record LoadFigures(int nodes, double opsPerSecond, double p99Millis, long requests) {
    /** Below this many requests one slow request is the p99: too few to scale on. */
    public static final long MIN_REQUESTS_FOR_P99 = 50;

    public double opsPerNode() {
        return opsPerSecond / nodes;
    }

    public boolean hasP99() {
        return !Double.isNaN(p99Millis);
    }

    /**
     * The figures between two samples of the same nodes (keyed by node), or null if the nodes
     * differ (one joined or left since) or a node's counters restarted: such an interval is skipped.
     */
    public static LoadFigures between(Map<String, RequestCounters> before, Map<String, RequestCounters> after,
                                      double seconds) {
        if (before.isEmpty() || !before.keySet().equals(after.keySet()) || seconds <= 0) {
            return null;
        }
        RequestCounters served = RequestCounters.NONE;
        for (Map.Entry<String, RequestCounters> e : after.entrySet()) {
            RequestCounters delta = e.getValue().since(before.get(e.getKey()));
            if (delta == null) {
                return null;
            }
            served = served.plus(delta);
        }
        double p99 = served.requests() >= MIN_REQUESTS_FOR_P99 ? served.quantileMillis(0.99) : Double.NaN;
        return new LoadFigures(after.size(), served.requests() / seconds, p99, served.requests());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d nodes, %.1f ops/s (%.1f per node), p99 %s over %d requests", nodes,
                opsPerSecond, opsPerNode(), hasP99() ? String.format(Locale.ROOT, "%.1f ms", p99Millis) : "n/a", requests);
    }
}
