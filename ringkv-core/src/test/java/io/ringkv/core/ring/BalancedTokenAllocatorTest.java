package io.ringkv.core.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BalancedTokenAllocatorTest {

    private final BalancedTokenAllocator allocator = new BalancedTokenAllocator(64);

    private Ring grow(int nodes) {
        Ring ring = Ring.empty();
        for (int i = 0; i < nodes; i++) {
            ring = allocator.join(ring, Member.of("node-" + i));
        }
        return ring;
    }

    @Test
    void the_first_node_spreads_its_tokens_evenly() {
        Ring ring = allocator.join(Ring.empty(), Member.of("first"));
        assertThat(ring.tokenCount()).isEqualTo(64);
        for (int i = 0; i < 64; i++) {
            assertThat(ring.rangeAt(i).fraction()).isCloseTo(1.0 / 64, offset(1e-12));
        }
    }

    @Test
    void every_size_up_to_60_nodes_stays_within_10_percent_of_the_mean() {
        Ring ring = Ring.empty();
        for (int i = 0; i < 60; i++) {
            Member joiner = Member.of("node-" + i);
            Ring next = allocator.join(ring, joiner);
            if (!ring.isEmpty()) {
                double ideal = 1.0 / (i + 1);
                // the joiner takes its fair share, and only that moves
                assertThat(Ownership.primary(next).get(joiner.nodeId())).isCloseTo(ideal, offset(ideal * 0.01));
                assertThat(Ownership.primaryMoved(ring, next)).isCloseTo(ideal, offset(ideal * 0.01));
            }
            ring = next;
            assertThat(Ownership.maxOverMean(ring, Ownership.primary(ring))).isLessThanOrEqualTo(1.10);
        }
    }

    @Test
    void the_most_loaded_node_leaving_moves_only_its_share_and_keeps_balance() {
        Ring ring = grow(30);
        Map<String, Double> shares = Ownership.primary(ring);
        String leaver = shares.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Ring after = allocator.leave(ring, leaver);
        assertThat(after.size()).isEqualTo(29);
        assertThat(after.tokenCount()).isEqualTo(ring.tokenCount());
        assertThat(Ownership.primaryMoved(ring, after)).isCloseTo(shares.get(leaver), offset(1e-12));
        assertThat(Ownership.maxOverMean(after, Ownership.primary(after))).isLessThanOrEqualTo(1.10);
    }

    @Test
    void weights_set_vnode_counts_and_shares() {
        Ring ring = grow(6);
        Member big = new Member("big", "dc1", "rack1", 2.0);
        Ring after = allocator.join(ring, big);
        assertThat(after.tokensOf("big")).hasSize(128);
        assertThat(Ownership.primary(after).get("big")).isCloseTo(2.0 / 8, offset(0.0025));
        assertThat(Ownership.maxOverMean(after, Ownership.primary(after))).isLessThanOrEqualTo(1.10);
        assertThat(allocator.vnodeCount(0.001)).isEqualTo(1);
    }

    @Test
    void deterministic_for_the_same_ring_and_joiner() {
        Ring ring = grow(5);
        assertThat(allocator.tokensForJoin(ring, Member.of("x"))).isEqualTo(allocator.tokensForJoin(ring, Member.of("x")));
        assertThat(grow(5)).isEqualTo(ring);
    }

    /** Two nodes join at once, each computing from the same (now stale) view of the ring. */
    @Test
    void concurrent_joiners_with_stale_views_do_not_collide_but_overload_the_same_donors() {
        Ring view = grow(10);
        List<Token> x = allocator.tokensForJoin(view, Member.of("x"));
        List<Token> y = allocator.tokensForJoin(view, Member.of("y"));
        Set<Token> overlap = new HashSet<>(x);
        overlap.retainAll(y);
        assertThat(overlap).isEmpty();
        Ring merged = view.withNode(Member.of("x"), x).withNode(Member.of("y"), y);
        assertThat(merged.tokensOf("x")).hasSize(64);
        assertThat(merged.tokensOf("y")).hasSize(64);
        // both took their share from the same donors: worse balance than sequential joins,
        // which the next joins (always taking from the most loaded) work off
        double concurrent = Ownership.maxOverMean(merged, Ownership.primary(merged));
        Ring sequential = allocator.join(allocator.join(view, Member.of("x")), Member.of("y"));
        assertThat(concurrent).isGreaterThan(Ownership.maxOverMean(sequential, Ownership.primary(sequential)));
    }

    @Test
    void rejects_a_joiner_already_on_the_ring_and_an_unknown_leaver() {
        Ring ring = grow(2);
        assertThatThrownBy(() -> allocator.tokensForJoin(ring, Member.of("node-0"))).hasMessageContaining("already on the ring");
        assertThatThrownBy(() -> allocator.reassignmentForLeave(ring, "ghost")).hasMessageContaining("not on the ring");
        assertThat(allocator.leave(grow(1), "node-0").isEmpty()).isTrue();
        assertThatThrownBy(() -> new BalancedTokenAllocator(0)).hasMessageContaining("between 1 and 4096");
    }
}
