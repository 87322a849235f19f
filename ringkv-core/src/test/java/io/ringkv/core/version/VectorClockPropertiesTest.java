package io.ringkv.core.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class VectorClockPropertiesTest {

    @Provide
    Arbitrary<VectorClock> clocks() {
        return VersionArbitraries.clocks();
    }

    @Provide
    Arbitrary<String> nodes() {
        return net.jqwik.api.Arbitraries.of("a", "b", "z");
    }

    @Property
    void compare_is_antisymmetric(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b) {
        Occurred ab = a.compare(b);
        Occurred ba = b.compare(a);
        switch (ab) {
            case BEFORE -> assertThat(ba).isEqualTo(Occurred.AFTER);
            case AFTER -> assertThat(ba).isEqualTo(Occurred.BEFORE);
            case EQUAL -> assertThat(ba).isEqualTo(Occurred.EQUAL);
            case CONCURRENT -> assertThat(ba).isEqualTo(Occurred.CONCURRENT);
        }
    }

    @Property
    void descends_is_transitive(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b, @ForAll("clocks") VectorClock c) {
        VectorClock ab = a.merge(b);
        VectorClock abc = ab.merge(c);
        assertThat(abc.descends(ab) && ab.descends(a)).isTrue();
        assertThat(abc.descends(a)).isTrue();
    }

    @Property
    void merge_is_commutative(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b) {
        assertThat(a.merge(b)).isEqualTo(b.merge(a));
    }

    @Property
    void merge_is_associative(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b, @ForAll("clocks") VectorClock c) {
        assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
    }

    @Property
    void merge_is_idempotent(@ForAll("clocks") VectorClock a) {
        assertThat(a.merge(a)).isEqualTo(a);
    }

    @Property
    void merge_descends_from_both_inputs_and_is_the_least_such_clock(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b) {
        VectorClock m = a.merge(b);
        assertThat(m.descends(a)).isTrue();
        assertThat(m.descends(b)).isTrue();
        for (VectorClock.Entry e : m.entries()) {
            assertThat(e.counter()).isEqualTo(Math.max(a.counter(e.nodeId()), b.counter(e.nodeId())));
        }
    }

    @Property
    void increment_happens_after_the_original(@ForAll("clocks") VectorClock a, @ForAll("nodes") String node) {
        VectorClock next = a.increment(node, 5);
        assertThat(next.compare(a)).isEqualTo(Occurred.AFTER);
        assertThat(a.compare(next)).isEqualTo(Occurred.BEFORE);
        assertThat(next.counter(node)).isEqualTo(a.counter(node) + 1);
    }

    @Property
    void increments_at_different_nodes_are_concurrent(@ForAll("clocks") VectorClock a) {
        assertThat(a.increment("x", 1).compare(a.increment("y", 1))).isEqualTo(Occurred.CONCURRENT);
    }

    @Property
    void compare_agrees_with_pointwise_counters(@ForAll("clocks") VectorClock a, @ForAll("clocks") VectorClock b) {
        boolean aLe = true;
        boolean bLe = true;
        for (String n : List.of("a", "b", "c", "d", "e")) {
            aLe &= a.counter(n) <= b.counter(n);
            bLe &= b.counter(n) <= a.counter(n);
        }
        Occurred expected = aLe && bLe ? Occurred.EQUAL : aLe ? Occurred.BEFORE : bLe ? Occurred.AFTER : Occurred.CONCURRENT;
        assertThat(a.compare(b)).isEqualTo(expected);
    }

    @Property
    void truncate_keeps_the_newest_entries(@ForAll("clocks") VectorClock a, @ForAll @IntRange(min = 1, max = 6) int max) {
        VectorClock t = a.truncate(max);
        assertThat(t.size()).isEqualTo(Math.min(max, a.size()));
        assertThat(a.descends(t)).isTrue();
        List<VectorClock.Entry> dropped = new ArrayList<>(a.entries());
        dropped.removeAll(t.entries());
        for (VectorClock.Entry gone : dropped) {
            for (VectorClock.Entry kept : t.entries()) {
                assertThat(gone.timestampMillis()).isLessThanOrEqualTo(kept.timestampMillis());
            }
        }
    }
}
