package io.ringkv.core.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RingTest {

    /** A token at {@code eighths}/8 of the ring (with a tiny offset), easy to reason about. */
    static Token at(int eighths) {
        return new Token((long) eighths << 61, 1);
    }

    static Ring fourNodes() {
        return Ring.empty()
                .withNode(Member.of("A"), List.of(at(1), at(5)))
                .withNode(Member.of("B"), List.of(at(2), at(6)))
                .withNode(Member.of("C"), List.of(at(3), at(7)))
                .withNode(Member.of("D"), List.of(at(4), at(0)));
    }

    @Test
    void a_key_belongs_to_the_first_token_at_or_after_it() {
        Ring ring = fourNodes();
        assertThat(ring.size()).isEqualTo(4);
        assertThat(ring.tokenCount()).isEqualTo(8);
        assertThat(ring.primaryOwner(at(1))).isEqualTo("A");
        assertThat(ring.primaryOwner(new Token(at(1).high(), 2))).isEqualTo("B");
        assertThat(ring.primaryOwner(Token.MIN)).isEqualTo("D");
        // past the last token the ring wraps to the first
        assertThat(ring.primaryOwner(Token.MAX)).isEqualTo("D");
        assertThat(ring.rangeAt(0)).isEqualTo(new TokenRange(at(7), at(0)));
        assertThat(ring.rangesOf("A")).containsExactly(new TokenRange(at(0), at(1)), new TokenRange(at(4), at(5)));
    }

    @Test
    void operations_return_new_rings_and_leave_the_original_alone() {
        Ring ring = fourNodes();
        Ring without = ring.withoutNode("B");
        assertThat(ring.size()).isEqualTo(4);
        assertThat(without.size()).isEqualTo(3);
        assertThat(without.contains("B")).isFalse();
        // B's ranges joined their clockwise successors (C's tokens)
        assertThat(without.primaryOwner(at(2))).isEqualTo("C");
        assertThat(ring.primaryOwner(at(2))).isEqualTo("B");
        assertThat(ring.withoutNode("nobody")).isSameAs(ring);
    }

    @Test
    void equal_content_means_equal_rings_whatever_the_order_of_joins() {
        Ring other = Ring.empty()
                .withNode(Member.of("D"), List.of(at(0), at(4)))
                .withNode(Member.of("C"), List.of(at(7), at(3)))
                .withNode(Member.of("B"), List.of(at(6), at(2)))
                .withNode(Member.of("A"), List.of(at(5), at(1)));
        assertThat(other).isEqualTo(fourNodes()).hasSameHashCodeAs(fourNodes());
    }

    @Test
    void with_node_replaces_an_existing_members_tokens_and_descriptor() {
        Ring ring = fourNodes().withNode(new Member("A", "dc2", "r9", 2.0), List.of(at(3).plus(0, 5)));
        assertThat(ring.tokensOf("A")).containsExactly(at(3).plus(0, 5));
        assertThat(ring.member("A")).contains(new Member("A", "dc2", "r9", 2.0));
        assertThat(ring.tokenCount()).isEqualTo(7);
    }

    @Test
    void a_token_claimed_twice_goes_to_the_smaller_node_id() {
        Ring ring = Ring.empty().withNode(Member.of("n2"), List.of(at(1), at(2)));
        Ring withSmaller = ring.withNode(Member.of("n1"), List.of(at(2), at(3)));
        assertThat(withSmaller.ownerAt(withSmaller.vnodeIndexFor(at(2)))).isEqualTo("n1");
        Ring withBigger = ring.withNode(Member.of("n3"), List.of(at(2), at(3)));
        assertThat(withBigger.ownerAt(withBigger.vnodeIndexFor(at(2)))).isEqualTo("n2");
        assertThat(withBigger.tokensOf("n3")).containsExactly(at(3));
        // a joiner that loses every token is not on the ring
        assertThat(ring.withNode(Member.of("n9"), List.of(at(1))).contains("n9")).isFalse();
    }

    @Test
    void reassigning_tokens_keeps_ranges_and_changes_owners() {
        Ring ring = fourNodes().withTokensReassigned(Map.of(at(1), "C", at(5), "D"));
        assertThat(ring.contains("A")).isFalse();
        assertThat(ring.primaryOwner(at(1))).isEqualTo("C");
        assertThat(ring.primaryOwner(at(5))).isEqualTo("D");
        assertThat(ring.tokenCount()).isEqualTo(8);
        assertThatThrownBy(() -> fourNodes().withTokensReassigned(Map.of(at(1).plus(0, 1), "C")))
                .hasMessageContaining("not on the ring");
        assertThatThrownBy(() -> fourNodes().withTokensReassigned(Map.of(at(1), "Z"))).hasMessageContaining("not a member");
    }

    @Test
    void rejects_bad_members_and_empty_token_lists() {
        assertThatThrownBy(() -> Ring.empty().withNode(Member.of("A"), List.of())).hasMessageContaining("at least one token");
        assertThatThrownBy(() -> new Member("A", "dc1", "r1", 0)).hasMessageContaining("positive");
        assertThatThrownBy(() -> new Member(" ", "dc1", "r1", 1)).hasMessageContaining("blank");
        assertThatThrownBy(() -> Ring.empty().vnodeIndexFor(Token.MIN)).hasMessageContaining("empty");
    }

    @Test
    void ownership_and_movement_in_ring_space() {
        Ring ring = fourNodes();
        Map<String, Double> shares = Ownership.primary(ring);
        assertThat(shares.values()).allSatisfy(s -> assertThat(s).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-12)));
        assertThat(Ownership.maxOverMean(ring, shares)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Ownership.primaryMoved(ring, ring)).isZero();
        // B leaves: its two eighths go to C
        assertThat(Ownership.primaryMoved(ring, ring.withoutNode("B"))).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-12));
        // a single-token ring against another owner: everything moved
        Ring one = Ring.empty().withNode(Member.of("x"), List.of(at(1)));
        Ring other = Ring.empty().withNode(Member.of("y"), List.of(at(1)));
        assertThat(Ownership.primaryMoved(one, other)).isEqualTo(1.0);
        assertThat(Ownership.replicasMoved(ring, ring, ReplicationStrategy.simple(3))).isZero();
        assertThat(Ownership.replicated(ring, ReplicationStrategy.simple(3)).values().stream().mapToDouble(d -> d).sum())
                .isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-9));
    }
}
