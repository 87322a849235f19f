package io.ringkv.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ringkv.cluster.handoff.HintStore;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Hinted handoff's meters, per target node (tag {@code target}), read from the {@link HintStore}
 * at scrape time: {@code ringkv.hints.pending} and {@code ringkv.hints.bytes} held now, and
 * {@code ringkv.hints.stored}, {@code .delivered}, {@code .expired} since the node started; plus
 * {@code ringkv.hints.total.bytes}. A target's meters are registered the first time it has hints,
 * looked for every few seconds on the given executor.
 */
public final class HandoffMetrics {
    private static final long DISCOVERY_SECONDS = 5;

    private final MeterRegistry registry;
    private final HintStore hints;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    private HandoffMetrics(MeterRegistry registry, HintStore hints) {
        this.registry = registry;
        this.hints = hints;
    }

    public static void bind(MeterRegistry registry, HintStore hints, ScheduledExecutorService discovery) {
        HandoffMetrics metrics = new HandoffMetrics(registry, hints);
        Gauge.builder("ringkv.hints.total.bytes", hints, HintStore::totalBytes)
                .description("bytes of hints this node holds for all other nodes").register(registry);
        metrics.registerNewTargets();
        try {
            discovery.scheduleWithFixedDelay(metrics::registerNewTargets, DISCOVERY_SECONDS, DISCOVERY_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException closing) {
            // the node is closing
        }
    }

    private void registerNewTargets() {
        for (String target : hints.stats().keySet()) {
            if (registered.add(target)) {
                gauge("ringkv.hints.pending", target, HintStore.TargetStats::pending, "hints held for the target now");
                gauge("ringkv.hints.bytes", target, HintStore.TargetStats::bytes, "bytes of hints held for the target now");
                counter("ringkv.hints.stored", target, HintStore.TargetStats::stored, "hints stored for the target");
                counter("ringkv.hints.delivered", target, HintStore.TargetStats::delivered,
                        "hints handed over to the target and acknowledged durably");
                counter("ringkv.hints.expired", target, HintStore.TargetStats::expired,
                        "hints dropped undelivered after the hint window");
            }
        }
    }

    private void gauge(String name, String target, ToLongFunction<HintStore.TargetStats> field, String description) {
        Gauge.builder(name, hints, h -> value(h, target, field)).tag("target", target).description(description).register(registry);
    }

    private void counter(String name, String target, ToLongFunction<HintStore.TargetStats> field, String description) {
        FunctionCounter.builder(name, hints, h -> value(h, target, field)).tag("target", target).description(description)
                .register(registry);
    }

    private static double value(HintStore hints, String target, ToLongFunction<HintStore.TargetStats> field) {
        HintStore.TargetStats stats = hints.stats().get(target);
        return stats == null ? 0 : field.applyAsLong(stats);
    }
}
