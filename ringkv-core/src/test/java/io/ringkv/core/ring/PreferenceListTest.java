package io.ringkv.core.ring;

import static io.ringkv.core.ring.RingTest.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreferenceListTest {

    @Test
    void dynamo_preference_list_skips_further_vnodes_of_chosen_nodes() {
        // Dynamo §4.3: the first N distinct physical nodes clockwise
        Ring ring = Ring.empty()
                .withNode(Member.of("A"), List.of(at(1), at(2)))
                .withNode(Member.of("B"), List.of(at(3)))
                .withNode(Member.of("C"), List.of(at(4), at(5)))
                .withNode(Member.of("D"), List.of(at(6)));
        PreferenceList p = ring.preferenceList(at(1), ReplicationStrategy.simple(3));
        assertThat(p.replicas()).containsExactly("A", "B", "C");
        assertThat(p.fallbacks()).containsExactly("D");
        assertThat(ring.preferenceList(at(5), ReplicationStrategy.simple(3)).replicas()).containsExactly("C", "D", "A");
        assertThat(ring.preferenceList(at(6), ReplicationStrategy.simple(10)).replicas()).containsExactly("D", "A", "B", "C");
        assertThat(ring.preferenceList(at(6), ReplicationStrategy.simple(2)).fallbacks(1)).containsExactly("B");
    }

    @Test
    void replicas_go_to_distinct_racks_first() {
        Ring ring = Ring.empty()
                .withNode(new Member("a1", "dc1", "ra", 1), List.of(at(1)))
                .withNode(new Member("a2", "dc1", "ra", 1), List.of(at(2)))
                .withNode(new Member("b1", "dc1", "rb", 1), List.of(at(3)))
                .withNode(new Member("a3", "dc1", "ra", 1), List.of(at(4)))
                .withNode(new Member("c1", "dc1", "rc", 1), List.of(at(5)));
        PreferenceList p = ring.preferenceList(at(1), ReplicationStrategy.simple(3));
        assertThat(p.replicas()).containsExactly("a1", "b1", "c1");
        assertThat(p.fallbacks()).containsExactly("a2", "a3");
        // 4 replicas over 3 racks: the earliest passed-over node fills the fourth slot
        assertThat(ring.preferenceList(at(1), ReplicationStrategy.simple(4)).replicas()).containsExactly("a1", "a2", "b1", "c1");
    }

    @Test
    void racks_repeat_only_when_there_are_not_enough() {
        Ring ring = Ring.empty()
                .withNode(new Member("a1", "dc1", "ra", 1), List.of(at(1)))
                .withNode(new Member("a2", "dc1", "ra", 1), List.of(at(2)))
                .withNode(new Member("a3", "dc1", "ra", 1), List.of(at(3)))
                .withNode(new Member("b1", "dc1", "rb", 1), List.of(at(4)));
        assertThat(ring.preferenceList(at(1), ReplicationStrategy.simple(3)).replicas()).containsExactly("a1", "a2", "b1");
    }

    @Test
    void per_data_center_replication_counts_each_data_center_separately() {
        Ring ring = Ring.empty()
                .withNode(new Member("e1", "east", "r1", 1), List.of(at(0)))
                .withNode(new Member("w1", "west", "r1", 1), List.of(at(1)))
                .withNode(new Member("e2", "east", "r2", 1), List.of(at(2)))
                .withNode(new Member("e3", "east", "r1", 1), List.of(at(3)))
                .withNode(new Member("w2", "west", "r2", 1), List.of(at(4)))
                .withNode(new Member("e4", "east", "r3", 1), List.of(at(5)))
                .withNode(new Member("w3", "west", "r1", 1), List.of(at(6)));
        var strategy = ReplicationStrategy.perDataCenter(Map.of("east", 3, "west", 2));
        PreferenceList p = ring.preferenceList(at(0), strategy);
        // east: e1 (r1), e2 (r2), then e3 is r1 again so e4 (r3); west: w1, w2
        assertThat(p.replicas()).containsExactly("e1", "w1", "e2", "w2", "e4");
        assertThat(p.fallbacks()).containsExactly("e3", "w3");
        assertThat(strategy.totalReplicas()).isEqualTo(5);
        // a data center the ring does not have contributes no replicas
        var withMissing = ReplicationStrategy.perDataCenter(Map.of("east", 1, "north", 2));
        assertThat(ring.preferenceList(at(0), withMissing).replicas()).containsExactly("e1");
    }

    @Test
    void every_key_in_a_vnode_range_has_the_same_list() {
        Ring ring = RingTest.fourNodes();
        PreferenceList p = ring.preferenceList("some key".getBytes(), ReplicationStrategy.simple(2));
        assertThat(p.range().contains(Token.of("some key".getBytes()))).isTrue();
        assertThat(ring.preferenceList(p.range().toInclusive(), ReplicationStrategy.simple(2)).replicas()).isEqualTo(p.replicas());
    }

    @Test
    void empty_ring_has_no_replicas_and_strategies_check_their_arguments() {
        assertThat(Ring.empty().preferenceList(Token.MIN, ReplicationStrategy.simple(3)).replicas()).isEmpty();
        assertThat(Ring.empty().preferenceList(Token.MIN, ReplicationStrategy.simple(3)).fallbacks()).isEmpty();
        assertThatThrownBy(() -> ReplicationStrategy.simple(0)).hasMessageContaining("between 1 and 64");
        assertThatThrownBy(() -> ReplicationStrategy.perDataCenter(Map.of())).hasMessageContaining("at least one data center");
        assertThatThrownBy(() -> ReplicationStrategy.perDataCenter(Map.of("dc1", 0))).hasMessageContaining("replicas in dc1");
    }
}
