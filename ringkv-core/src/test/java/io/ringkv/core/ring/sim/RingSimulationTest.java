package io.ringkv.core.ring.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingSimulationTest {

    private static String run(SimRingParams params, int[] exit) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        exit[0] = RingSimulation.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), params);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void balanced_allocation_passes_and_prints_a_row_per_size() {
        int[] exit = new int[1];
        String out = run(SimRingParams.defaults().withNodeCounts(List.of(10, 40)).withVnodes(64), exit);
        assertThat(exit[0]).isZero();
        assertThat(out).contains("allocation=balanced").containsPattern("(?m)^\\s+10\\s+640\\s").containsPattern("(?m)^\\s+40\\s+2560\\s");
        assertThat(out.lines().filter(l -> l.endsWith("PASS")).count()).isEqualTo(2);
        assertThat(out).containsPattern("(?m)^PASS \\(targets");
    }

    @Test
    void random_tokens_fail_the_balance_target() {
        int[] exit = new int[1];
        String out = run(SimRingParams.defaults().withNodeCounts(List.of(100)).withVnodes(64)
                .withAllocation(SimRingParams.Allocation.RANDOM), exit);
        assertThat(exit[0]).isEqualTo(1);
        assertThat(out).contains("FAIL");
    }

    @Test
    void mixed_weights_are_measured_per_weight_unit() {
        var rows = RingSimulation.measure(SimRingParams.defaults().withNodeCounts(List.of(30)).withVnodes(64)
                .withWeights(SimRingParams.WeightMix.MIXED).withRacks(3));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).maxOverMean()).isLessThanOrEqualTo(1.10);
        assertThat(rows.get(0).joinRatio()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.02));
        assertThat(rows.get(0).passes()).isTrue();
    }
}
