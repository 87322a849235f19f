package io.ringkv.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ringkv.cluster.streaming.RangeCleanup;
import io.ringkv.cluster.streaming.StreamProgress;
import io.ringkv.cluster.streaming.Streaming;
import java.util.function.ToDoubleFunction;

/**
 * Range streaming's meters (docs/design/membership.md), read from the node's current or last
 * stream (a join or a decommission) at scrape time; all 0 when the node has not streamed since
 * it started: {@code ringkv.streaming.active} (1 while WAITING or STREAMING),
 * {@code ringkv.streaming.failed} (1 when the last stream failed), and the stream's
 * {@code .ranges.total}, {@code .ranges.done}, {@code .keys}, {@code .bytes},
 * {@code .bytes.per.second} and {@code .unverified}; and {@code ringkv.cleanup.keys.dropped}, the keys
 * of ranges this node no longer replicates that {@link RangeCleanup} dropped.
 */
public final class StreamingMetrics {
    private StreamingMetrics() {
    }

    public static void bind(MeterRegistry registry, Streaming streaming, RangeCleanup cleanup) {
        FunctionCounter.builder("ringkv.cleanup.keys.dropped", cleanup, RangeCleanup::keysDropped)
                .description("keys of ranges this node no longer replicates, dropped after a ring change").register(registry);
        gauge(registry, streaming, "ringkv.streaming.active", "1 while a join or decommission streams or waits to",
                p -> p.state() == StreamProgress.State.WAITING || p.state() == StreamProgress.State.STREAMING ? 1 : 0);
        gauge(registry, streaming, "ringkv.streaming.failed", "1 when the last join or decommission stream failed",
                p -> p.state() == StreamProgress.State.FAILED ? 1 : 0);
        gauge(registry, streaming, "ringkv.streaming.ranges.total", "range transfers planned", StreamProgress::rangesTotal);
        gauge(registry, streaming, "ringkv.streaming.ranges.done", "range transfers streamed and verified",
                StreamProgress::rangesDone);
        gauge(registry, streaming, "ringkv.streaming.keys", "keys sent or received", StreamProgress::keys);
        gauge(registry, streaming, "ringkv.streaming.bytes", "bytes of keys and versions sent or received",
                StreamProgress::bytes);
        gauge(registry, streaming, "ringkv.streaming.bytes.per.second", "the stream's rate so far",
                StreamProgress::bytesPerSecond);
        gauge(registry, streaming, "ringkv.streaming.unverified",
                "ranges whose digest still differed after every pass (left to anti-entropy)", StreamProgress::unverified);
    }

    private static void gauge(MeterRegistry registry, Streaming streaming, String name, String description,
                              ToDoubleFunction<StreamProgress> field) {
        Gauge.builder(name, streaming, s -> s.progress().map(field::applyAsDouble).orElse(0.0))
                .description(description).register(registry);
    }
}
