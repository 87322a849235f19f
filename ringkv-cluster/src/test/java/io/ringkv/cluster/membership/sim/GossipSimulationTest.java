package io.ringkv.cluster.membership.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The simulation behind {@code bin/ringkv sim gossip}, at sizes small enough for the unit suite. */
class GossipSimulationTest {
    private static final GossipSimParams SMALL = GossipSimParams.defaults()
            .withClusterSizes(List.of(64)).withTrials(3).withSeed(11);

    @ParameterizedTest
    @EnumSource(SimCluster.RoundModel.class)
    void newsSpreadsInLogarithmicRoundsAndFailuresAreDetectedWithoutFalseDowns(SimCluster.RoundModel model) {
        GossipSimParams params = SMALL.withRoundModel(model);
        double log2 = Math.log(64) / Math.log(2);
        for (GossipSimulation.TrialResult r : GossipSimulation.measure(params, 64)) {
            assertThat(r.joinRounds()).as("join known everywhere").isBetween(1, (int) Math.ceil(log2));
            assertThat(r.firstSuspicionRounds()).as("nobody suspects before suspectAfter of silence")
                    .isBetween(params.suspectAfterRounds() - 1, params.suspectAfterRounds() + 2);
            assertThat(r.allDownRounds() - r.firstSuspicionRounds()).as("suspicions agree within O(log n)")
                    .isBetween(0, (int) Math.ceil(log2));
            assertThat(r.falseDowns()).isZero();
        }
    }

    @Test
    void theSameSeedPrintsTheSameFigures() {
        String first = render(SMALL);
        assertThat(render(SMALL)).isEqualTo(first);
        assertThat(first).contains("n = 64").contains("log2(n) = 6.00").contains(" mean ").contains("  max ");
        assertThat(render(SMALL.withSeed(12))).isNotEqualTo(first);
    }

    @Test
    void runReturnsZeroWhenEveryPhaseFinished() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = GossipSimulation.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), SMALL.withTrials(1));
        assertThat(exit).isZero();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("WARNING");
    }

    @Test
    void messageLossSlowsButDoesNotStopConvergence() {
        for (GossipSimulation.TrialResult r : GossipSimulation.measure(SMALL.withMessageLossRate(0.2), 64)) {
            assertThat(r.joinRounds()).isPositive();
            assertThat(r.allDownRounds()).isPositive();
        }
    }

    @Test
    void badParametersAreNamed() {
        assertThatThrownBy(() -> SMALL.withClusterSizes(List.of(2)))
                .hasMessageContaining("cluster size must be 4..4000, was 2");
        assertThatThrownBy(() -> SMALL.withMessageLossRate(1.0)).hasMessageContaining("messageLossRate");
        assertThatThrownBy(() -> SMALL.withSuspectAfterRounds(1)).hasMessageContaining("suspectAfterRounds");
    }

    private static String render(GossipSimParams params) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        GossipSimulation.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), params);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
