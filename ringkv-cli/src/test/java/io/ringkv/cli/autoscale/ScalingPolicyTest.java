package io.ringkv.cli.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cli.autoscale.Decision.Action;
import org.junit.jupiter.api.Test;

/** The autoscaler's decisions, sample by sample, with time passed in (no sleeping). */
class ScalingPolicyTest {
    private static final long SECOND = 1_000_000_000L;
    /** 3..6 nodes; add above 100 ops/s per node or p99 above 50 ms; remove below 30; 2 s sustained; 10 s cooldown. */
    private final ScalingPolicy policy = new ScalingPolicy(new ScalingThresholds(3, 6, 100, 30, 50, 2_000, 10_000));

    private static LoadFigures load(int nodes, double opsPerNode, double p99Millis) {
        return new LoadFigures(nodes, opsPerNode * nodes, p99Millis, 1000);
    }

    private Decision at(long second, int nodes, double opsPerNode, double p99Millis) {
        return policy.decide(second * SECOND, nodes, load(nodes, opsPerNode, p99Millis), null);
    }

    @Test
    void a_busy_cluster_gains_a_node_only_once_the_load_has_lasted() {
        assertThat(at(0, 3, 150, 5).action()).isEqualTo(Action.HOLD);
        assertThat(at(0, 3, 150, 5).state()).isEqualTo("sustaining");
        assertThat(at(1, 3, 150, 5).action()).isEqualTo(Action.HOLD);
        Decision join = at(2, 3, 150, 5);
        assertThat(join.action()).isEqualTo(Action.JOIN);
        assertThat(join.why()).contains("150.0 per node > --scale-up-ops 100").contains("for 2.0 s");
    }

    @Test
    void a_dip_below_the_threshold_restarts_the_sustain_window() {
        at(0, 3, 150, 5);
        at(1, 3, 150, 5);
        at(2, 3, 80, 5); // between the thresholds
        assertThat(at(3, 3, 150, 5).state()).isEqualTo("sustaining");
        assertThat(at(5, 3, 150, 5).action()).isEqualTo(Action.JOIN);
    }

    @Test
    void a_slow_p99_alone_adds_a_node_and_forbids_removing_one() {
        at(0, 4, 10, 80);
        Decision slow = at(2, 4, 10, 80);
        assertThat(slow.action()).isEqualTo(Action.JOIN);
        assertThat(slow.why()).contains("p99 80.0 ms > --p99-ceiling-ms 50");
    }

    @Test
    void after_a_change_it_cools_down_before_the_next() {
        at(0, 3, 150, 5);
        assertThat(at(2, 3, 150, 5).action()).isEqualTo(Action.JOIN);
        policy.changed(20 * SECOND);
        at(21, 4, 150, 5);
        assertThat(at(23, 4, 150, 5).state()).isEqualTo("cooldown");
        assertThat(at(30, 4, 150, 5).action()).isEqualTo(Action.JOIN);
    }

    @Test
    void an_idle_cluster_loses_a_node_down_to_min_but_not_one_it_would_add_back() {
        at(0, 5, 10, 2);
        assertThat(at(2, 5, 10, 2).action()).isEqualTo(Action.DECOMMISSION);
        at(0, 3, 10, 2);
        assertThat(at(2, 3, 10, 2).state()).as("at --min").isEqualTo("at-min");
        // 4 nodes at 29 ops/s each is 116 ops/s: 3 nodes would get 38.7 each, fine; 2 nodes of 60 each would not be
        ScalingPolicy tight = new ScalingPolicy(new ScalingThresholds(1, 6, 40, 30, 50, 0, 0));
        assertThat(tight.decide(0, 2, load(2, 29, 2), null).action()).as("1 node would get 58 > 40").isEqualTo(Action.HOLD);
        assertThat(tight.decide(0, 4, load(4, 29, 2), null).action()).isEqualTo(Action.DECOMMISSION);
    }

    @Test
    void it_holds_at_max_and_while_membership_changes() {
        at(0, 6, 500, 5);
        assertThat(at(5, 6, 500, 5).state()).isEqualTo("at-max");
        Decision changing = policy.decide(6 * SECOND, 4, load(4, 500, 5), "node4 JOINING/UP");
        assertThat(changing.action()).isEqualTo(Action.HOLD);
        assertThat(changing.why()).contains("node4 JOINING/UP");
        assertThat(at(7, 4, 500, 5).state()).as("pressure is measured afresh after the change").isEqualTo("sustaining");
    }

    @Test
    void outside_the_bounds_it_steps_toward_them_at_once() {
        assertThat(policy.decide(0, 2, null, null).action()).isEqualTo(Action.JOIN);
        assertThat(policy.decide(0, 7, null, null).action()).isEqualTo(Action.DECOMMISSION);
        assertThat(policy.decide(0, 4, null, null).state()).isEqualTo("no-figures");
    }
}
