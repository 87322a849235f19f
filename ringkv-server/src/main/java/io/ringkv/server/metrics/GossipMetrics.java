package io.ringkv.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ringkv.cluster.membership.Gossiper;
import io.ringkv.cluster.membership.Liveness;
import io.ringkv.cluster.membership.Member;
import io.ringkv.cluster.node.ClusterMembership;

/**
 * Gossip and ring meters, read from the {@link Gossiper}'s counters and the current membership
 * view at scrape time (the gossiper has no metrics dependency). Names start with
 * {@code ringkv.gossip.} and {@code ringkv.cluster.}.
 */
public final class GossipMetrics {
    private GossipMetrics() {
    }

    public static void bind(MeterRegistry registry, ClusterMembership membership) {
        Gossiper gossiper = membership.gossiper();
        FunctionCounter.builder("ringkv.gossip.rounds", gossiper, Gossiper::roundsRun)
                .description("gossip rounds run by this node").register(registry);
        FunctionCounter.builder("ringkv.gossip.exchanges.failed", gossiper, Gossiper::exchangesFailed)
                .description("gossip exchanges this node started that failed or timed out").register(registry);
        FunctionCounter.builder("ringkv.gossip.messages.rejected", gossiper, Gossiper::messagesRejected)
                .description("incoming gossip refused as malformed or from another cluster").register(registry);
        for (Liveness liveness : Liveness.values()) {
            Gauge.builder("ringkv.gossip.members", membership, m -> count(m, liveness))
                    .tag("liveness", liveness.name())
                    .description("members of this node's view by liveness (this node included, as UP)")
                    .register(registry);
        }
        Gauge.builder("ringkv.cluster.ring.nodes", membership, m -> m.clusterView().ring().size())
                .description("nodes owning tokens in this node's ring").register(registry);
        Gauge.builder("ringkv.cluster.generation", membership, m -> m.identity().generation())
                .description("this node's generation (higher after every restart)").register(registry);
        Gauge.builder("ringkv.cluster.id.conflict", membership, GossipMetrics::idConflict)
                .description("another process claims this node's id: 0 none seen, 1 this process keeps the id,"
                        + " 2 this process refused it and serves nothing").register(registry);
    }

    private static double idConflict(ClusterMembership membership) {
        return membership.idConflict().map(c -> c.selfRefused() ? 2 : 1).orElse(0);
    }

    private static double count(ClusterMembership membership, Liveness liveness) {
        return membership.membership().members().stream().map(Member::liveness).filter(liveness::equals).count();
    }
}
