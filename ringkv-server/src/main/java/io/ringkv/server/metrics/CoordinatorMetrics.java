package io.ringkv.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ringkv.cluster.coordinator.CoordinatorListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The quorum coordinator's events as Micrometer meters (the coordinator has no metrics
 * dependency). Names start with {@code ringkv.coordinator.}; {@code op} is get, put or delete.
 */
public final class CoordinatorMetrics implements CoordinatorListener {
    private final MeterRegistry registry;
    private final Map<String, Timer> successTimers = new ConcurrentHashMap<>();
    private final Map<String, Timer> failureTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> quorumNotMet = new ConcurrentHashMap<>();
    private final Map<String, Counter> forwards = new ConcurrentHashMap<>();
    private final Map<String, Counter> forwardsExpired = new ConcurrentHashMap<>();
    private final Map<String, Counter> coordinatedForUnreachable = new ConcurrentHashMap<>();
    // Read repair is checked on every get: its counters are built once, not looked up per read.
    private final Counter readRepairChecks;
    private final Counter staleReplicas;
    private final Counter readRepairsSent;
    private final Counter readRepairsFailed;
    /** The last seconds' rates and percentiles, for the dashboard; null when nobody reads them. */
    private final RecentLatencies recent;

    public CoordinatorMetrics(MeterRegistry registry) {
        this(registry, null);
    }

    /** Also feeds every completed request into {@code recent} (GET /api/v1/stats). */
    public CoordinatorMetrics(MeterRegistry registry, RecentLatencies recent) {
        this.registry = registry;
        this.recent = recent;
        this.readRepairChecks = Counter.builder("ringkv.coordinator.read.repair.checks")
                .description("gets whose replica answers were compared after the answer, for read repair")
                .register(registry);
        this.staleReplicas = Counter.builder("ringkv.coordinator.read.repair.stale.replicas")
                .description("replicas found out of date by read repair's comparison")
                .register(registry);
        this.readRepairsSent = readRepairCounter("sent");
        this.readRepairsFailed = readRepairCounter("failed");
    }

    @Override
    public void onRequestCompleted(String op, long nanos, boolean succeeded) {
        // Cached: looking the Timer up by its tags on every request costs microseconds and garbage.
        (succeeded ? successTimers : failureTimers).computeIfAbsent(op, key -> requestTimer(key, succeeded))
                .record(nanos, TimeUnit.NANOSECONDS);
        if (recent != null) {
            recent.record(op, nanos, succeeded);
        }
    }

    private Timer requestTimer(String op, boolean succeeded) {
        return Timer.builder("ringkv.coordinator.requests")
                .description("requests coordinated by this node, from arrival to answer or failure")
                .tag("op", op).tag("outcome", succeeded ? "success" : "failure")
                .register(registry);
    }

    @Override
    public void onQuorumNotMet(String op, int required, int acknowledged) {
        quorumNotMet.computeIfAbsent(op, key -> Counter.builder("ringkv.coordinator.quorum.not.met")
                .description("requests that failed because fewer than R or W replicas answered in time")
                .tag("op", key).register(registry)).increment();
    }

    @Override
    public void onForwarded(String op, String targetNodeId) {
        forwards.computeIfAbsent(op, key -> Counter.builder("ringkv.coordinator.forwards")
                .description("writes forwarded to a replica because this node is not one (one hop)")
                .tag("op", key).register(registry)).increment();
    }

    @Override
    public void onCoordinatedForUnreachableReplicas(String op) {
        coordinatedForUnreachable.computeIfAbsent(op, key -> Counter.builder("ringkv.coordinator.sloppy.coordinated")
                .description("writes this node coordinated itself, with hints, because none of the key's replicas"
                        + " could be reached (sloppy quorum)")
                .tag("op", key).register(registry)).increment();
    }

    @Override
    public void onForwardExpired(String op) {
        forwardsExpired.computeIfAbsent(op, key -> Counter.builder("ringkv.coordinator.forwards.expired")
                .description("forwarded writes refused because they arrived after the sender's not-after time"
                        + " (this node was paused or slow; the sender had moved on)")
                .tag("op", key).register(registry)).increment();
    }

    @Override
    public void onReadRepairChecked(int replicasCompared, int stale) {
        readRepairChecks.increment();
        if (stale > 0) {
            staleReplicas.increment(stale);
        }
    }

    @Override
    public void onReadRepairSent(String replicaNodeId) {
        readRepairsSent.increment();
    }

    @Override
    public void onReadRepairFailed(String replicaNodeId) {
        readRepairsFailed.increment();
    }

    @Override
    public void onMalformedMessage(int messageType) {
        Counter.builder("ringkv.coordinator.malformed.messages")
                .description("peer messages this node could not decode (answered with an error)")
                .tag("type", "0x" + Integer.toHexString(messageType)).register(registry).increment();
    }

    private Counter readRepairCounter(String outcome) {
        return Counter.builder("ringkv.coordinator.read.repairs")
                .description("read repairs: merged versions sent to replicas that answered stale ones")
                .tag("outcome", outcome).register(registry);
    }
}
