package io.ringkv.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.membership.AnnouncedStatus;
import io.ringkv.cluster.membership.GossipConfig;
import io.ringkv.cluster.membership.Member;
import io.ringkv.cluster.time.ManualScheduler;
import io.ringkv.cluster.time.Scheduler;
import io.ringkv.cluster.transport.InMemoryNetwork;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import io.ringkv.core.ring.Ownership;
import io.ringkv.core.ring.Ring;
import io.ringkv.core.ring.Token;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Nodes started at the same moment join one ring: the real {@link ClusterMembership} (identity
 * file, gossip, join rule, allocator) over the in-memory network on a virtual clock, so the runs
 * are deterministic and take no real time. Seeds are node1 and node2, as {@code cluster start}
 * writes them.
 */
class ConcurrentJoinTest {
    private static final long INTERVAL_MILLIS = 1_000;
    private static final long MAX_VIRTUAL_MILLIS = 300_000;

    @TempDir
    Path dir;

    private ManualScheduler clock;
    private InMemoryNetwork network;
    private GossipConfig gossip;
    private final List<ClusterMembership> nodes = new ArrayList<>();
    private final List<Transport> transports = new ArrayList<>();

    private static PeerAddress peer(int i) {
        return new PeerAddress("127.0.0." + i, 9000 + i);
    }

    private void network(long seed, double loss) {
        clock = new ManualScheduler();
        network = new InMemoryNetwork(clock, seed);
        network.latencyMillis(1, 30);
        network.dropProbability(loss);
        gossip = GossipConfig.builder().seeds(List.of(peer(1), peer(2))).gossipIntervalMillis(INTERVAL_MILLIS).build();
    }

    private ClusterMembership start(int i) {
        Transport transport = network.endpoint(peer(i));
        MembershipSettings settings = MembershipSettings.of("node" + i, new PeerAddress("127.0.0." + i, 8000 + i),
                "dc1", "rack1", 1, gossip, dir.resolve("node" + i));
        ClusterMembership node = ClusterMembership.open(settings, transport, scheduler(), new SplittableRandom(i),
                () -> 1_000_000 + clock.nowMillis());
        transport.start();
        node.start();
        while (nodes.size() < i) {
            nodes.add(null);
            transports.add(null);
        }
        nodes.set(i - 1, node);
        transports.set(i - 1, transport);
        return node;
    }

    private void stop(int i) {
        nodes.get(i - 1).close();
        transports.get(i - 1).close();
    }

    private Scheduler scheduler() {
        return clock;
    }

    /** Advances virtual time in 100 ms steps until {@code done}; returns the virtual millis it took, or -1. */
    private long advanceUntil(BooleanSupplier done) {
        for (long t = 0; t <= MAX_VIRTUAL_MILLIS; t += 100) {
            if (done.getAsBoolean()) {
                return t;
            }
            clock.advanceMillis(100);
        }
        return -1;
    }

    /** Every node owns tokens and every node's ring is the same, with all nodes in it. */
    private boolean converged() {
        Ring first = nodes.getFirst().clusterView().ring();
        for (ClusterMembership node : nodes) {
            Ring ring = node.clusterView().ring();
            if (!node.hasJoined() || ring.size() != nodes.size() || !ring.equals(first)) {
                return false;
            }
        }
        return true;
    }

    @ParameterizedTest(name = "{0} nodes, network seed {1}, loss {2}")
    @CsvSource({"3, 1, 0", "3, 2, 0.05", "5, 1, 0", "5, 3, 0.05", "8, 4, 0"})
    void nodesStartedAtOnceEndWithDisjointBalancedTokens(int count, long seed, double loss) {
        network(seed, loss);
        for (int i = 1; i <= count; i++) {
            start(i);
        }
        long tookMillis = advanceUntil(this::converged);
        assertThat(tookMillis).as("%d nodes converge to one ring within %d virtual ms", count, MAX_VIRTUAL_MILLIS)
                .isNotNegative();

        Set<Token> all = new HashSet<>();
        int claimed = 0;
        for (ClusterMembership node : nodes) {
            List<Token> mine = node.membership().selfMember().tokens();
            assertThat(mine).hasSize(256);
            assertThat(node.identity().tokens()).as("tokens are durable before they are announced").isEqualTo(mine);
            assertThat(node.membership().selfMember().status()).isEqualTo(AnnouncedStatus.NORMAL);
            all.addAll(mine);
            claimed += mine.size();
        }
        assertThat(all).as("no token claimed twice").hasSize(claimed);
        Ring ring = nodes.getFirst().clusterView().ring();
        double maxOverMean = Ownership.maxOverMean(ring, Ownership.primary(ring));
        assertThat(maxOverMean).as("max/mean primary ownership").isLessThanOrEqualTo(1.10);
        System.out.printf("concurrent join: %d nodes, loss %.2f: one ring after %d virtual ms, max/mean %.4f%n",
                count, loss, tookMillis, maxOverMean);
    }

    @Test
    void aRestartKeepsItsTokensAndComesBackWithAHigherGeneration() {
        network(7, 0);
        for (int i = 1; i <= 3; i++) {
            start(i);
        }
        assertThat(advanceUntil(this::converged)).isNotNegative();
        List<Token> before = nodes.get(2).membership().selfMember().tokens();
        long generationBefore = nodes.get(2).identity().generation();
        Ring ringBefore = nodes.getFirst().clusterView().ring();

        stop(3);
        clock.advanceMillis(3_000);
        ClusterMembership again = start(3);
        assertThat(again.hasJoined()).as("NORMAL with its saved tokens at once").isTrue();
        assertThat(again.membership().selfMember().status()).isEqualTo(AnnouncedStatus.NORMAL);
        assertThat(again.membership().selfMember().tokens()).isEqualTo(before);
        assertThat(again.identity().generation()).isGreaterThan(generationBefore);

        assertThat(advanceUntil(() -> nodes.getFirst().membership().member(again.membership().self())
                .map(Member::generation).orElse(0L) == again.identity().generation())).isNotNegative();
        assertThat(nodes.getFirst().clusterView().ring()).as("the ring did not move").isEqualTo(ringBefore);
    }

    /**
     * A restart with saved tokens starts from a ring of itself alone: until it hears a peer it
     * must not coordinate, or it would acknowledge writes of keys it does not own with its own
     * copy only (found by ProcessHistoryTest with five nodes).
     */
    @Test
    void aRestartedNodeKnowsTheRingOnlyOnceItHasHeardAPeer() {
        network(11, 0);
        for (int i = 1; i <= 3; i++) {
            start(i);
        }
        assertThat(advanceUntil(this::converged)).isNotNegative();
        assertThat(nodes.getFirst().clusterView().knowsRing()).as("joined the first time: knows the ring it built").isTrue();

        stop(3);
        network.partition(peer(3), peer(1));
        network.partition(peer(3), peer(2));
        ClusterMembership again = start(3);
        clock.advanceMillis(10_000);
        assertThat(again.clusterView().ring().size()).as("alone, it sees a ring of itself").isEqualTo(1);
        assertThat(again.clusterView().knowsRing()).isFalse();

        network.healAll();
        assertThat(advanceUntil(() -> again.clusterView().knowsRing())).isNotNegative();
        assertThat(advanceUntil(() -> again.clusterView().ring().size() == 3)).isNotNegative();
    }

    @Test
    void withoutItsFirstSeedNoNodeCreatesARing() {
        network(9, 0);
        start(2);
        start(3);
        clock.advanceMillis(30_000);
        assertThat(nodes.get(1).hasJoined()).isFalse();
        assertThat(nodes.get(2).hasJoined()).isFalse();
        // the first seed arrives: everyone joins
        nodes.set(0, null);
        ClusterMembership first = start(1);
        assertThat(first.isFirstSeed()).isTrue();
        assertThat(advanceUntil(this::converged)).isNotNegative();
    }
}
