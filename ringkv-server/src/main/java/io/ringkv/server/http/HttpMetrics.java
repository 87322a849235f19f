package io.ringkv.server.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Request counts and latencies per endpoint, method and status, exported as the Prometheus
 * histogram family {@code ringkv_http_requests_seconds}. Endpoint names are a fixed set
 * (never the raw path) and unusual methods count as "other", so a scan of random URLs cannot create unbounded series.
 */
final class HttpMetrics {
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
        Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(10)};
    private final MeterRegistry registry;
    private final Map<Series, Timer> timers = new ConcurrentHashMap<>();

    private record Series(String endpoint, String method, int status) {
    }

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String endpoint, String method, int status, long durationNanos) {
        // Building and registering the Timer looks it up by its sorted tags: a few microseconds
        // and several objects per request. The series are few (fixed endpoints, methods, statuses).
        timers.computeIfAbsent(new Series(endpoint, KNOWN_METHODS.contains(method) ? method : "other", status), this::timer)
                .record(durationNanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(Series series) {
        return Timer.builder("ringkv.http.requests")
                .description("HTTP requests served, by endpoint, method and status")
                .tag("endpoint", series.endpoint())
                .tag("method", series.method())
                .tag("status", Integer.toString(series.status()))
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    void rejected(String reason) {
        registry.counter("ringkv.http.rejected", "reason", reason).increment();
    }
}
