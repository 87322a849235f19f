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
import java.util.Optional;
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
        return start(i, Optional.empty());
    }

    private ClusterMembership start(int i, Optional<String> replaces) {
        Transport transport = network.endpoint(peer(i));
        MembershipSettings settings = MembershipSettings.of("node" + i, new PeerAddress("127.0.0." + i, 8000 + i),
                "dc1", "rack1", 1, gossip, dir.resolve("node" + i)).withReplacing(replaces);
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

    /**
     * Three seeds, the smallest never starts: the next seed creates the ring once it sees a
     * majority of the seeds (itself and node3), and node4, no seed, joins it.
     */
    @Test
    void anySeedStartsTheRingWhenTheFirstNeverComes() {
        network(13, 0);
        gossip = GossipConfig.builder().seeds(List.of(peer(1), peer(2), peer(3))).gossipIntervalMillis(INTERVAL_MILLIS).build();
        start(2);
        start(3);
        start(4);
        assertThat(advanceUntil(() -> nodes.stream().skip(1).allMatch(n -> n.hasJoined()
                && n.clusterView().ring().size() == 3 && n.clusterView().ring().equals(nodes.get(1).clusterView().ring()))))
                .isNotNegative();
        assertThat(nodes.get(1).clusterView().ring().members()).extracting(m -> m.nodeId())
                .containsExactlyInAnyOrder("node2", "node3", "node4");
    }

    /** Seeds cut 1 | 2, 3 at their first start: one ring, on the majority side; node1 joins it after the heal. */
    @Test
    void seedsCutApartAtTheirFirstStartMakeOneRing() {
        network(17, 0);
        gossip = GossipConfig.builder().seeds(List.of(peer(1), peer(2), peer(3))).gossipIntervalMillis(INTERVAL_MILLIS).build();
        network.partition(peer(1), peer(2));
        network.partition(peer(1), peer(3));
        start(1);
        start(2);
        start(3);
        assertThat(advanceUntil(() -> nodes.get(1).hasJoined() && nodes.get(2).hasJoined())).isNotNegative();
        clock.advanceMillis(30_000);
        assertThat(nodes.get(0).hasJoined()).as("alone with 1 of 3 seeds, node1 creates no ring").isFalse();
        network.healAll();
        assertThat(advanceUntil(this::converged)).isNotNegative();
        Ring ring = nodes.getFirst().clusterView().ring();
        assertThat(Ownership.maxOverMean(ring, Ownership.primary(ring))).as("one balanced ring").isLessThanOrEqualTo(1.10);
    }

    /**
     * node3 dies; node4, started to replace it, waits until the others see node3 DOWN, then takes
     * its tokens: every view ends with node3 LEFT and the same ring, node4 where node3 was.
     */
    @Test
    void aReplacementTakesOverTheDeadNodesTokens() {
        network(19, 0);
        for (int i = 1; i <= 3; i++) {
            start(i);
        }
        assertThat(advanceUntil(this::converged)).isNotNegative();
        List<Token> deadTokens = nodes.get(2).membership().selfMember().tokens();
        Ring before = nodes.getFirst().clusterView().ring();
        stop(3);
        ClusterMembership replacement = start(4, Optional.of("node3"));
        clock.advanceMillis(2_000);
        assertThat(replacement.hasJoined()).as("node3 is not DOWN yet: no replacement").isFalse();

        assertThat(advanceUntil(() -> replacement.hasJoined() && List.of(0, 1, 3).stream().allMatch(k ->
                nodes.get(k).clusterView().ring().members().stream().map(m -> m.nodeId()).sorted().toList()
                        .equals(List.of("node1", "node2", "node4"))))).isNotNegative();
        assertThat(replacement.membership().selfMember().tokens()).isEqualTo(deadTokens);
        assertThat(replacement.identity().tokens()).as("durable").isEqualTo(deadTokens);
        for (int k : List.of(0, 1)) {
            assertThat(nodes.get(k).membership().member(io.ringkv.cluster.membership.NodeId.of("node3")))
                    .hasValueSatisfying(m -> assertThat(m.status()).isEqualTo(AnnouncedStatus.LEFT));
        }
        Ring after = nodes.getFirst().clusterView().ring();
        assertThat(after.tokenCount()).isEqualTo(before.tokenCount());
        for (int t = 0; t < before.tokenCount(); t++) {
            String owner = before.ownerAt(t);
            assertThat(after.ownerAt(t)).isEqualTo(owner.equals("node3") ? "node4" : owner);
        }
    }

    /** Two seeds: a majority is both. */
    @Test
    void withOneOfTwoSeedsNoNodeCreatesARing() {
        network(9, 0);
        start(2);
        start(3);
        clock.advanceMillis(30_000);
        assertThat(nodes.get(1).hasJoined()).isFalse();
        assertThat(nodes.get(2).hasJoined()).isFalse();
        // the first seed arrives: everyone joins
        nodes.set(0, null);
        ClusterMembership first = start(1);
        assertThat(first.isSeed()).isTrue();
        assertThat(advanceUntil(this::converged)).isNotNegative();
    }
}
