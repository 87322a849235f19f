package io.ringkv.cluster.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.core.version.Dot;
import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.SiblingsCodec;
import io.ringkv.core.version.VectorClock;
import io.ringkv.core.version.Versioned;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The engine's contract for a merge operator: associative (and here commutative), deterministic. */
class SiblingsMergeOperatorTest {
    private static final byte[] KEY = {1, 2, 3};

    private final SiblingsMergeOperator siblings = new SiblingsMergeOperator(
            new ReplicaConfig(ConflictPolicy.SIBLINGS, ReplicaConfig.MAX_SIBLING_CAP, SiblingCapListener.NONE));
    private final SiblingsMergeOperator lww = new SiblingsMergeOperator(
            new ReplicaConfig(ConflictPolicy.LWW, 1, SiblingCapListener.NONE));

    @Provide
    Arbitrary<byte[]> encoded() {
        return SiblingsGen.encoded();
    }

    @Property
    void associative(@ForAll("encoded") byte[] a, @ForAll("encoded") byte[] b, @ForAll("encoded") byte[] c) {
        for (SiblingsMergeOperator op : List.of(siblings, lww)) {
            assertThat(op.apply(KEY, op.apply(KEY, a, b), c)).isEqualTo(op.apply(KEY, a, op.apply(KEY, b, c)));
            // the engine may also fold operands with no base value
            assertThat(op.apply(KEY, op.apply(KEY, null, a), b)).isEqualTo(op.apply(KEY, a, b));
        }
    }

    @Property
    void commutative(@ForAll("encoded") byte[] a, @ForAll("encoded") byte[] b) {
        assertThat(siblings.apply(KEY, a, b)).isEqualTo(siblings.apply(KEY, b, a));
        assertThat(lww.apply(KEY, a, b)).isEqualTo(lww.apply(KEY, b, a));
    }

    @Property
    void equals_the_siblings_join(@ForAll("encoded") byte[] a, @ForAll("encoded") byte[] b) {
        Siblings expected = SiblingsCodec.decode(a).merge(SiblingsCodec.decode(b));
        assertThat(SiblingsCodec.decode(siblings.apply(KEY, a, b))).isEqualTo(expected);
        assertThat(SiblingsCodec.decode(lww.apply(KEY, a, b)).size()).isLessThanOrEqualTo(1);
    }

    @Test
    void the_cap_keeps_the_newest_and_reports_each_time_it_drops_versions() {
        List<Integer> reported = new ArrayList<>();
        SiblingsMergeOperator capped = new SiblingsMergeOperator(new ReplicaConfig(ConflictPolicy.SIBLINGS, 3,
                (key, dropped, cap) -> reported.add(dropped)));
        byte[] stored = null;
        for (int i = 1; i <= 5; i++) {
            Versioned v = Versioned.of(VectorClock.EMPTY, new Dot("n1", i), new byte[] {(byte) i}, i);
            stored = capped.apply(KEY, stored, SiblingsCodec.encode(Siblings.of(v)));
        }
        Siblings result = SiblingsCodec.decode(stored);
        assertThat(result.liveValues()).extracting(b -> (int) b[0]).containsExactly(3, 4, 5);
        assertThat(reported).containsExactly(1, 1);
        assertThat(capped.capExceededCount()).isEqualTo(2);
    }

    @Test
    void unreadable_bytes_are_a_storage_failure_not_a_guess() {
        byte[] good = SiblingsCodec.encode(Siblings.EMPTY);
        assertThatThrownBy(() -> siblings.apply(KEY, new byte[] {9, 9}, good))
                .isInstanceOf(UnreadableVersionsException.class).hasMessageContaining("stored value");
        assertThatThrownBy(() -> siblings.apply(KEY, good, new byte[] {1}))
                .isInstanceOf(UnreadableVersionsException.class).hasMessageContaining("operand");
    }

    @Test
    void a_lone_normalised_operand_is_returned_as_is() {
        byte[] one = SiblingsCodec.encode(Siblings.of(Versioned.of(VectorClock.EMPTY, new Dot("n1", 1), new byte[] {7}, 1)));
        assertThat(siblings.apply(KEY, null, one)).isSameAs(one);
    }
}
