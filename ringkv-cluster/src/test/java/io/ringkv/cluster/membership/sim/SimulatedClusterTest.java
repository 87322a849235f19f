package io.ringkv.cluster.membership.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.membership.GossipConfig;
import io.ringkv.cluster.membership.Liveness;
import io.ringkv.cluster.membership.Member;
import io.ringkv.cluster.membership.NodeId;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Ten pure gossip state machines on the simulated network (no threads, no sockets, one seed).
 * Dynamo §4.8: membership and failure detection by gossip; the two-source rule of the user's
 * design notes ("a node is marked down only when at least two sources agree").
 * Each scenario runs under both round models.
 */
class SimulatedClusterTest {
    private static final int N = 10;
    private static final int SUSPECT_AFTER_ROUNDS = 5;

    private static SimCluster converged(SimCluster.RoundModel model, double loss) {
        GossipConfig config = GossipConfig.builder()
                .seeds(List.of(SimCluster.address(0), SimCluster.address(1)))
                .suspectAfterMillis(SUSPECT_AFTER_ROUNDS * 1_000L)
                .build();
        SimCluster cluster = new SimCluster(config, 1234, loss, model);
        for (int i = 0; i < N; i++) {
            cluster.addNode(8);
        }
        int rounds = roundsUntil(cluster, 20, () -> allKnowAll(cluster));
        assertThat(rounds).as("10 nodes converge from two seeds").isPositive();
        for (int r = 0; r < SUSPECT_AFTER_ROUNDS + 2; r++) {
            cluster.round();
        }
        return cluster;
    }

    @ParameterizedTest
    @EnumSource(SimCluster.RoundModel.class)
    void tenNodesConvergeAndAllSeeAllUp(SimCluster.RoundModel model) {
        SimCluster cluster = converged(model, 0);
        for (int i = 0; i < N; i++) {
            assertThat(cluster.node(i).view().members()).hasSize(N)
                    .extracting(Member::liveness).containsOnly(Liveness.UP);
        }
    }

    @ParameterizedTest
    @EnumSource(SimCluster.RoundModel.class)
    void aKilledNodeIsDownEverywhereWithinABoundedNumberOfRounds(SimCluster.RoundModel model) {
        SimCluster cluster = converged(model, 0);
        NodeId victim = cluster.node(7).selfId();
        cluster.kill(7);
        for (int r = 1; r < SUSPECT_AFTER_ROUNDS; r++) {
            cluster.round();
            assertThat(seenDownBy(cluster, victim)).as("round %d: nobody may suspect before suspectAfter", r).isZero();
        }
        int rounds = roundsUntil(cluster, 10, () -> seenDownBy(cluster, victim) == N - 1);
        assertThat(rounds).as("all 9 live nodes see DOWN within suspectAfter + 10 rounds").isPositive();
        assertThat(SUSPECT_AFTER_ROUNDS - 1 + rounds).isLessThanOrEqualTo(SUSPECT_AFTER_ROUNDS + 3);
    }

    @ParameterizedTest
    @EnumSource(SimCluster.RoundModel.class)
    void aPartitionBetweenTwoNodesMarksNeitherDown(SimCluster.RoundModel model) {
        SimCluster cluster = converged(model, 0);
        cluster.cut(3, 4);
        for (int r = 0; r < 40; r++) {
            cluster.round();
            assertThat(notUpAnywhere(cluster, 3)).isZero();
            assertThat(notUpAnywhere(cluster, 4)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(SimCluster.RoundModel.class)
    void aNodeCutOffFromAThirdOfItsPeersStaysUp(SimCluster.RoundModel model) {
        // Its heartbeat still flows through the others. (Cut off from all but one peer, it is
        // rightly marked DOWN now and then: its heartbeat then reaches the cluster only when that
        // one link happens to be picked, and runs of silence longer than suspectAfter occur.)
        SimCluster cluster = converged(model, 0);
        cluster.cut(5, 1);
        cluster.cut(5, 2);
        cluster.cut(5, 3);
        for (int r = 0; r < 40; r++) {
            cluster.round();
            assertThat(seenDownBy(cluster, cluster.node(5).selfId())).as("round %d", r).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(SimCluster.RoundModel.class)
    void anIsolatedNodeIsDownForOthersButDeclaresNobodyDownAndHealsBackUp(SimCluster.RoundModel model) {
        SimCluster cluster = converged(model, 0);
        for (int other = 0; other < N; other++) {
            if (other != 2) {
                cluster.cut(2, other);
            }
        }
        NodeId lonely = cluster.node(2).selfId();
        int rounds = roundsUntil(cluster, SUSPECT_AFTER_ROUNDS + 10, () -> seenDownBy(cluster, lonely) == N - 1);
        assertThat(rounds).isPositive();
        assertThat(cluster.node(2).view().members())
                .filteredOn(m -> !m.id().equals(lonely))
                .as("alone, it is the only source: SUSPECT, never DOWN")
                .extracting(Member::liveness).containsOnly(Liveness.SUSPECT);

        cluster.healAll();
        int healed = roundsUntil(cluster, 10, () -> everyoneSeesEveryoneUp(cluster));
        assertThat(healed).as("after the heal all views are all UP again").isPositive();
    }

    @ParameterizedTest
    @EnumSource(SimCluster.RoundModel.class)
    void aRestartedNodeWithAHigherGenerationComesBackUp(SimCluster.RoundModel model) {
        SimCluster cluster = converged(model, 0);
        NodeId id = cluster.node(6).selfId();
        cluster.kill(6);
        assertThat(roundsUntil(cluster, 20, () -> seenDownBy(cluster, id) == N - 1)).isPositive();
        cluster.restart(6, 2);
        int rounds = roundsUntil(cluster, 10, () -> everyoneSeesEveryoneUp(cluster));
        assertThat(rounds).isPositive();
        for (int i = 0; i < N; i++) {
            assertThat(cluster.node(i).state(id).orElseThrow().generation()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(SimCluster.RoundModel.class)
    void tenPercentMessageLossCausesNoFalseDown(SimCluster.RoundModel model) {
        SimCluster cluster = converged(model, 0.10);
        for (int r = 0; r < 60; r++) {
            cluster.round();
            for (int i = 0; i < N; i++) {
                assertThat(cluster.node(i).view().members()).extracting(Member::liveness)
                        .doesNotContain(Liveness.DOWN);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static int roundsUntil(SimCluster cluster, int maxRounds, BooleanSupplier done) {
        for (int r = 1; r <= maxRounds; r++) {
            cluster.round();
            if (done.getAsBoolean()) {
                return r;
            }
        }
        return -1;
    }

    private static boolean allKnowAll(SimCluster cluster) {
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.node(i).knownCount() < cluster.size()) {
                return false;
            }
        }
        return true;
    }

    private static int seenDownBy(SimCluster cluster, NodeId subject) {
        int count = 0;
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.isAlive(i) && !cluster.node(i).selfId().equals(subject)
                    && cluster.node(i).knows(subject) && cluster.node(i).liveness(subject) == Liveness.DOWN) {
                count++;
            }
        }
        return count;
    }

    private static int notUpAnywhere(SimCluster cluster, int subject) {
        NodeId id = cluster.node(subject).selfId();
        int count = 0;
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.node(i).liveness(id) != Liveness.UP) {
                count++;
            }
        }
        return count;
    }

    private static boolean everyoneSeesEveryoneUp(SimCluster cluster) {
        for (int i = 0; i < cluster.size(); i++) {
            for (Member m : cluster.node(i).view().members()) {
                if (m.liveness() != Liveness.UP) {
                    return false;
                }
            }
        }
        return true;
    }
}
