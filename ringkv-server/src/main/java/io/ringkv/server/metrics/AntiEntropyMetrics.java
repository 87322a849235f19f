package io.ringkv.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ringkv.cluster.admin.RepairProgress;
import io.ringkv.cluster.antientropy.AntiEntropy;
import io.ringkv.cluster.antientropy.AntiEntropyListener;

/**
 * Anti-entropy meters (docs/design/anti-entropy.md), fed by its listener (the cluster module has
 * no metrics dependency) plus gauges read from the {@link AntiEntropy} at scrape time once
 * {@link #bind} is called. Names start with {@code ringkv.antientropy.}.
 */
public final class AntiEntropyMetrics implements AntiEntropyListener {
    private final MeterRegistry registry;
    private final Counter compared;
    private final Counter differing;
    private final Counter skippedPeerDown;
    private final Counter skippedRingDiffers;
    private final Counter skippedFailed;
    private final Counter keysPulled;
    private final Counter keysPushed;
    private final Counter bytes;
    private final Counter leaves;
    private final Counter runsDone;
    private final Counter runsFailed;

    public AntiEntropyMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.compared = Counter.builder("ringkv.antientropy.ranges.compared")
                .description("range comparisons with another replica (one range, one peer)").register(registry);
        this.differing = Counter.builder("ringkv.antientropy.ranges.differing")
                .description("range comparisons that found the replicas different (and repaired them)").register(registry);
        this.skippedPeerDown = skipped("peer down");
        this.skippedRingDiffers = skipped("ring differs");
        this.skippedFailed = skipped("failed");
        this.keysPulled = keys("pulled");
        this.keysPushed = keys("pushed");
        this.bytes = Counter.builder("ringkv.antientropy.bytes.exchanged").baseUnit("bytes")
                .description("bytes of anti-entropy messages sent and received by this node as the comparing side")
                .register(registry);
        this.leaves = Counter.builder("ringkv.antientropy.leaves.rehashed")
                .description("Merkle tree leaves rehashed from the store (dirty after writes, or first builds)").register(registry);
        this.runsDone = runs("DONE");
        this.runsFailed = runs("FAILED");
    }

    /** Gauges over {@code antiEntropy}: trees, trees built, age of the last full repair. */
    public void bind(AntiEntropy antiEntropy) {
        Gauge.builder("ringkv.antientropy.trees", antiEntropy, AntiEntropy::trees)
                .description("Merkle trees kept (one per range this node replicates)").register(registry);
        Gauge.builder("ringkv.antientropy.trees.built", antiEntropy, AntiEntropy::treesBuilt)
                .description("Merkle trees hashed from the store at least once").register(registry);
        Gauge.builder("ringkv.antientropy.last.full.repair.age", antiEntropy, a -> a.lastFullRepairAgeMillis() / 1000.0)
                .baseUnit("seconds")
                .description("seconds since a run compared every range of this node with every replica; negative if none has yet")
                .register(registry);
    }

    private Counter skipped(String reason) {
        return Counter.builder("ringkv.antientropy.ranges.skipped").tag("reason", reason)
                .description("range comparisons not made: a replica down, its ring differing, or the exchange failing")
                .register(registry);
    }

    private Counter keys(String direction) {
        return Counter.builder("ringkv.antientropy.keys.exchanged").tag("direction", direction)
                .description("keys whose sibling sets were taken from (pulled) or sent to (pushed) another replica")
                .register(registry);
    }

    private Counter runs(String state) {
        return Counter.builder("ringkv.antientropy.runs").tag("state", state)
                .description("repair runs finished (manual and background)").register(registry);
    }

    @Override
    public void rangeCompared(boolean wasDiffering) {
        compared.increment();
        if (wasDiffering) {
            differing.increment();
        }
    }

    @Override
    public void rangeSkipped(String reason) {
        switch (reason) {
            case "peer down" -> skippedPeerDown.increment();
            case "ring differs" -> skippedRingDiffers.increment();
            default -> skippedFailed.increment();
        }
    }

    @Override
    public void keysExchanged(long pulled, long pushed) {
        keysPulled.increment(pulled);
        keysPushed.increment(pushed);
    }

    @Override
    public void bytesExchanged(long count) {
        bytes.increment(count);
    }

    @Override
    public void leavesRehashed(int count) {
        leaves.increment(count);
    }

    @Override
    public void runFinished(RepairProgress progress) {
        (progress.state() == RepairProgress.State.DONE ? runsDone : runsFailed).increment();
    }
}
