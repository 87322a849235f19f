package io.ringkv.cli.autoscale;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One node's client requests served since it started, as its {@code GET /metrics} reports them:
 * the histogram {@code ringkv_http_requests_seconds} (ringkv-server's {@code HttpMetrics}), summed
 * over the data endpoints only, every method and status. Admin, cluster, health and metrics
 * requests are left out: they are not load, and the autoscaler's own scrapes would count.
 *
 * @param requests          the {@code _count} sum
 * @param cumulativeByBound the {@code _bucket} sums by upper bound in seconds ({@code le}), +Inf included
 */
public record RequestCounters(long requests, Map<Double, Long> cumulativeByBound) {
    /** The metric family, also what the Kubernetes recipe's Prometheus adapter rule reads (deploy/kubernetes/). */
    public static final String FAMILY = "ringkv_http_requests_seconds";
    /** The routes that serve the store (HttpServer's route names): reads (and the design notes' getValue), writes, deletes and raw keys. */
    public static final Set<String> DATA_ENDPOINTS = Set.of("get", "get_value", "put", "delete", "kv");

    private static final Pattern SAMPLE = Pattern.compile("^" + FAMILY + "_(count|bucket)\\{([^}]*)\\}\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    public RequestCounters {
        cumulativeByBound = Map.copyOf(cumulativeByBound);
    }

    public static final RequestCounters NONE = new RequestCounters(0, Map.of());

    /** Reads the counters from a Prometheus text exposition; lines of other families are skipped. */
    public static RequestCounters parse(String prometheusText) {
        long requests = 0;
        Map<Double, Long> buckets = new TreeMap<>();
        for (String line : prometheusText.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.find()) {
                continue;
            }
            Map<String, String> labels = labels(m.group(2));
            if (!DATA_ENDPOINTS.contains(labels.get("endpoint"))) {
                continue;
            }
            long value = (long) Double.parseDouble(m.group(3)); // counts are integral; Prometheus prints them as floats
            if (m.group(1).equals("count")) {
                requests += value;
            } else {
                String le = labels.get("le");
                if (le != null) {
                    buckets.merge(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), value, Long::sum);
                }
            }
        }
        return new RequestCounters(requests, buckets);
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new TreeMap<>();
        Matcher m = LABEL.matcher(text);
        while (m.find()) {
            labels.put(m.group(1), m.group(2));
        }
        return labels;
    }

    /**
     * What was served between {@code earlier} and this: the differences, or null if any counter
     * went down (the node restarted and its counters began again, so this interval says nothing).
     */
    public RequestCounters since(RequestCounters earlier) {
        if (requests < earlier.requests) {
            return null;
        }
        Map<Double, Long> delta = new TreeMap<>();
        for (Map.Entry<Double, Long> e : cumulativeByBound.entrySet()) {
            long d = e.getValue() - earlier.cumulativeByBound.getOrDefault(e.getKey(), 0L);
            if (d < 0) {
                return null;
            }
            delta.put(e.getKey(), d);
        }
        return new RequestCounters(requests - earlier.requests, delta);
    }

    public RequestCounters plus(RequestCounters other) {
        Map<Double, Long> sum = new TreeMap<>(cumulativeByBound);
        other.cumulativeByBound.forEach((bound, count) -> sum.merge(bound, count, Long::sum));
        return new RequestCounters(requests + other.requests, sum);
    }

    /**
     * The latency below which {@code quantile} of these requests finished, in milliseconds,
     * interpolated linearly within the bucket it falls in, as Prometheus' histogram_quantile does:
     * the buckets are coarse (1, 5, 25, 100, 500, 2000, 10000 ms), so this is an estimate. A
     * quantile in the +Inf bucket is given as the highest finite bound. NaN without requests.
     */
    public double quantileMillis(double quantile) {
        long total = cumulativeByBound.getOrDefault(Double.POSITIVE_INFINITY, requests);
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = quantile * total;
        double previousBound = 0;
        long previousCount = 0;
        for (Map.Entry<Double, Long> e : new TreeMap<>(cumulativeByBound).entrySet()) {
            double bound = e.getKey();
            long count = e.getValue();
            if (count >= rank) {
                if (Double.isInfinite(bound)) {
                    return previousBound * 1000;
                }
                double within = count == previousCount ? 1 : (rank - previousCount) / (count - previousCount);
                return (previousBound + (bound - previousBound) * within) * 1000;
            }
            previousBound = bound;
            previousCount = count;
        }
        return previousBound * 1000;
    }
}
