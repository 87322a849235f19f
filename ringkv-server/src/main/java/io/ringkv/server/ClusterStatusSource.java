package io.ringkv.server;

import io.ringkv.cluster.membership.Gossiper;
import io.ringkv.cluster.membership.Member;
import io.ringkv.cluster.handoff.HintStore;
import io.ringkv.cluster.node.ClusterMembership;
import io.ringkv.core.ring.Ownership;
import io.ringkv.core.ring.Ring;
import io.ringkv.server.config.ReplicationConfig;
import io.ringkv.server.http.ClusterStatus;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds the {@code GET /api/v1/cluster} answer from this node's membership view and ring, and
 * the id conflict that {@code /health} and the store's endpoints check.
 */
final class ClusterStatusSource implements Supplier<ClusterStatus> {
    private record Shares(Ring ring, Map<String, Double> byNode) {}

    private final ClusterMembership membership;
    private final ReplicationConfig replication;
    private final HintStore hints;
    private volatile Shares shares = new Shares(Ring.empty(), Map.of());

    ClusterStatusSource(ClusterMembership membership, ReplicationConfig replication, HintStore hints) {
        this.membership = membership;
        this.replication = replication;
        this.hints = hints;
    }

    @Override
    public ClusterStatus get() {
        Gossiper gossiper = membership.gossiper();
        Map<String, Double> ringShares = sharesOf(membership.clusterView().ring());
        List<ClusterStatus.Member> members = membership.membership().members().stream()
                .map(m -> describe(m, gossiper.heartbeatAgeMillis(m), ringShares.getOrDefault(m.id().value(), 0.0)))
                .toList();
        return new ClusterStatus(membership.membership().self().value(), members, replication.n(), replication.r(),
                replication.w(), idConflict().orElse(null), hints(), replication.consistency().label, replication.perDataCenter());
    }

    private ClusterStatus.Hints hints() {
        Map<String, Long> byTarget = new TreeMap<>();
        long pending = 0;
        for (Map.Entry<String, HintStore.TargetStats> e : hints.stats().entrySet()) {
            if (e.getValue().pending() > 0) {
                byTarget.put(e.getKey(), e.getValue().pending());
                pending += e.getValue().pending();
            }
        }
        return new ClusterStatus.Hints(pending, hints.totalBytes(), byTarget);
    }

    /** Another process claims this node's id, if one was found: one volatile read when none was (every request asks). */
    Optional<ClusterStatus.IdConflict> idConflict() {
        return membership.idConflict().map(c -> new ClusterStatus.IdConflict(c.id().value(), c.selfRefused(),
                c.kept().peerAddress().toString(), c.kept().httpAddress().toString(),
                c.refused().peerAddress().toString(), c.refused().httpAddress().toString(), membership.describe(c)));
    }

    private static ClusterStatus.Member describe(Member m, long heartbeatAgeMillis, double ringShare) {
        return new ClusterStatus.Member(m.id().value(), m.status().name(), m.liveness().name(), m.generation(),
                m.state().heartbeat(), heartbeatAgeMillis, m.peerAddress().toString(), m.httpAddress().toString(),
                m.dc(), m.rack(), m.weight(), m.tokens().size(), ringShare);
    }

    /** Primary ownership, computed once per ring (the ring changes only when tokens do). */
    private Map<String, Double> sharesOf(Ring ring) {
        Shares current = shares;
        if (current.ring() != ring) {
            current = new Shares(ring, Ownership.primary(ring));
            shares = current;
        }
        return current.byNode();
    }
}
